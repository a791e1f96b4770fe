package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfDNSNotProxied: a tunnel CNAME set to "DNS only" resolves to nothing a
// browser can use; cfargotunnel.com is only reachable through the proxy.
func cfDNSNotProxied() agent.Check {
	c := agent.Check{
		Code:     "CF021",
		Title:    "Tunnel DNS record is not proxied",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "<id>.cfargotunnel.com has no public address: only Cloudflare's proxy can reach a tunnel. A CNAME " +
			"to it set to \"DNS only\" (grey cloud) makes visitors resolve the tunnel name itself and fail.",
		Fix:   "Set the record's Proxy status to Proxied (orange cloud) in the dashboard, or re-create it with cloudflared tunnel route dns --overwrite-dns.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		return cfRecordFindings(s, func(h cfHost, z *cfapi.Zone, r cfapi.Record) *agent.Finding {
			if r.TunnelOf() == "" || r.Proxied {
				return nil
			}
			fd := cfFinding(c, agent.Error, h, fmt.Sprintf("%s: the record %s is DNS only; a tunnel is only reachable through Cloudflare's proxy.",
				h.Host, cfRecordText(r)),
				fmt.Sprintf("Dashboard > %s > DNS > Records > %s > Edit > Proxy status: Proxied; or: %s", z.Name, r.Name, cfRouteFix(f, h.Host)))
			return &fd
		})
	}
	return c
}
