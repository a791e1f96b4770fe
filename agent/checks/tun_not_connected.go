package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// tunNotConnected: cloudflared runs but /ready says 503, with no cause in
// its logs that another check explains.
func tunNotConnected() agent.Check {
	c := agent.Check{
		Code:     "TUN008",
		Title:    "cloudflared runs but has no edge connection",
		Hop:      agent.HopTunnel,
		Severity: agent.Error,
		Explain: "cloudflared's /ready answers 503 (readyConnections 0): the process is up but holds no " +
			"registered connection to Cloudflare, so visitors get error 1033 (530). Its log says why.",
		Fix:   "Read cloudflared's log for the connection errors (`docker logs --tail 100 <container>`).",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		v := f.Connected()
		if v == nil || *v || notRunning(f) || crashLooping(s) || hasFatalCause(f) {
			return nil
		}
		msg := fmt.Sprintf("%s is running but holds no connection to Cloudflare's edge (/ready: 503, readyConnections 0).", cfName(f))
		out := c.Finding(agent.Error, msg)
		out.Evidence = tunnelEvidence(f)
		var recent []string
		for _, e := range current(f) {
			if e.Level == "error" || e.Level == "warn" {
				recent = append(recent, e.Line)
			}
		}
		if len(recent) > 3 {
			recent = recent[len(recent)-3:]
		}
		if len(recent) > 0 {
			out.Evidence["recent_errors"] = strings.Join(recent, "\n")
		}
		if f.LogsError != "" {
			out.Evidence["logs_error"] = f.LogsError
		}
		if p := f.Process; p != nil && !p.StartedAt.IsZero() && s.Taken.Sub(p.StartedAt) < 30e9 {
			out.Severity = agent.Warn
			out.Message += " It started less than 30 s ago and may still be connecting."
		}
		out.Fix = fmt.Sprintf("Look at `docker logs --tail 100 %s` for \"ERR\" lines about the edge; cloudflared needs egress to port 7844 "+
			"(UDP for QUIC, TCP for http2) and DNS for argotunnel.com.", containerRef(f))
		return []agent.Finding{out}
	}
	return c
}
