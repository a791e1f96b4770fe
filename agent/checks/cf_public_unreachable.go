package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfPublicUnreachable: the outside-in probe got no HTTP answer at all.
func cfPublicUnreachable() agent.Check {
	c := agent.Check{
		Code:     "CF073",
		Title:    "Hostname unreachable from outside (DNS, connect or TLS)",
		Hop:      agent.HopEdge,
		Severity: agent.Warn,
		Explain: "Requesting https://<hostname>/ from this machine got no HTTP answer: the name does not resolve " +
			"(no DNS record, zone not active), the connection failed, or TLS failed (no edge certificate yet for " +
			"a deeper subdomain). It may also be this machine's own network; the evidence has the error.",
		Fix:   "Check the DNS findings (CF020-CF023); `dig +short <hostname>` should return Cloudflare addresses. A second-level subdomain (a.b.example.com) needs an Advanced Certificate.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		return cfPublicVerdict(s, cfapi.VerdictUnreachable, func(p cfapi.PublicResult) agent.Finding {
			return cfPublicFinding(c, agent.Warn, s, p,
				fmt.Sprintf("https://%s/ gave no HTTP answer from this machine: %s.", p.Hostname, p.Page.Error), c.Fix)
		})
	}
	return c
}
