package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfPublicNotCloudflare: the hostname answers, but not through Cloudflare.
func cfPublicNotCloudflare() agent.Check {
	c := agent.Check{
		Code:     "CF072",
		Title:    "Hostname is not served through Cloudflare",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "The answer to https://<hostname>/ has no cf-ray header and /cdn-cgi/trace is not Cloudflare's: " +
			"public DNS sends visitors somewhere else (a record outside Cloudflare, a DNS-only record, another " +
			"provider's name servers), so the tunnel is never used.",
		Fix:   "Make the hostname a proxied CNAME to the tunnel in the zone's Cloudflare DNS: cloudflared tunnel route dns --overwrite-dns <tunnel> <hostname>, and check the domain's name servers are Cloudflare's.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		return cfPublicVerdict(s, cfapi.VerdictNotCloudflare, func(p cfapi.PublicResult) agent.Finding {
			return cfPublicFinding(c, agent.Error, s, p,
				fmt.Sprintf("%s answers HTTP %d without passing through Cloudflare (no cf-ray, no Cloudflare trace): visitors never reach the tunnel.", p.Hostname, p.Page.Status), c.Fix)
		})
	}
	return c
}
