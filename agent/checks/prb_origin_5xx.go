package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// origin5xx: the origin itself answers with a server error.
func origin5xx() agent.Check {
	c := agent.Check{
		Code:     "PRB005",
		Title:    "Origin answers with its own 5xx",
		Hop:      agent.HopProtocol,
		Severity: agent.Error,
		Explain: "cloudflared reached the origin and the origin itself answered 5xx (often nginx or a " +
			"proxy whose own upstream is down: 502 from nginx with a dead PHP-FPM). The error visitors see " +
			"is the origin's, passed through; the tunnel and Cloudflare are working.",
		Fix:   "Fix the origin's own upstream (application, database, PHP-FPM): read the origin's logs, not cloudflared's.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runOrigin5xx(c, s) }
	return c
}

func runOrigin5xx(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		if r.HTTP == nil || r.HTTP.Status < 500 || r.HTTP.Status > 599 {
			continue
		}
		t := r.Target
		server := r.HTTP.Headers["Server"]
		from := "the origin"
		if server != "" {
			from = fmt.Sprintf("the origin (Server: %s)", server)
		}
		msg := fmt.Sprintf("%s: %s at %s answered %d itself: the error comes from the origin, not from cloudflared or Cloudflare.",
			ruleName(t), from, targetAddress(t), r.HTTP.Status)
		container := "<the " + hostOr(t) + " container>"
		if c := originContainer(s, t.Host); c != nil {
			container = c.Name
		}
		fix := fmt.Sprintf("Look behind %s: its own upstream failed. Read its logs (docker logs --tail 50 %s) "+
			"and fix the application it proxies to; nothing in the tunnel needs changing.", hostOr(t), container)
		f := probeFinding(c, agent.Error, s, r, msg, fix)
		f.Evidence["body_sample"] = clip(r.HTTP.BodySample, 300)
		out = append(out, f)
	}
	return out
}
