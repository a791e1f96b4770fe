package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfPublicOriginError: a visitor gets a 5xx that came through Cloudflare
// without the edge's marks: the origin's own error, passed through.
func cfPublicOriginError() agent.Check {
	c := agent.Check{
		Code:     "CF071",
		Title:    "Visitors get the origin's own 5xx, passed through Cloudflare",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "The answer came through Cloudflare (cf-ray) with a 5xx status but none of the marks of a page " +
			"Cloudflare generates: the origin itself produced it, and the tunnel carried it faithfully. The fault " +
			"is behind cloudflared, in the application or its own upstream.",
		Fix:   "Read the origin's logs (docker logs --tail 50 <origin>); nothing at Cloudflare or in the tunnel needs changing.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		return cfPublicVerdict(s, cfapi.VerdictOriginError, func(p cfapi.PublicResult) agent.Finding {
			from := "the origin"
			if p.Page.Server != "" && p.Page.Server != "cloudflare" {
				from = "the origin (Server: " + p.Page.Server + ")"
			}
			f := cfPublicFinding(c, agent.Error, s, p, fmt.Sprintf("Visitors of %s get HTTP %d produced by %s and passed through Cloudflare unchanged: the tunnel and Cloudflare work.",
				p.Hostname, p.Page.Status, from), c.Fix)
			f.Evidence["body_sample"] = cfClip(p.Page.BodySample, 200)
			return f
		})
	}
	return c
}

func cfClip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
