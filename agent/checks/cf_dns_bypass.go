package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfDNSBypass: an A/AAAA record (or a CNAME to anything but a tunnel) at
// the hostname sends visitors around the tunnel.
func cfDNSBypass() agent.Check {
	c := agent.Check{
		Code:     "CF023",
		Title:    "DNS record bypasses the tunnel (A/AAAA or foreign CNAME)",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "Only a CNAME to <tunnel-id>.cfargotunnel.com sends requests through the tunnel. An A or AAAA " +
			"record sends them to that address (proxied: Cloudflare connects to it as an ordinary origin and " +
			"answers 521/522/523 when it cannot), and the ingress rule is never used.",
		Fix:   "Replace the record with the tunnel route: cloudflared tunnel route dns --overwrite-dns <tunnel> <hostname>.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		return cfRecordFindings(s, func(h cfHost, _ *cfapi.Zone, r cfapi.Record) *agent.Finding {
			if r.TunnelOf() != "" {
				return nil
			}
			how := "directly, without Cloudflare"
			if r.Proxied {
				how = "through Cloudflare's proxy to that address as an ordinary origin"
			}
			fd := cfFinding(c, agent.Error, h, fmt.Sprintf("%s: the record %s sends visitors to %s %s, not through the tunnel.",
				h.Host, cfRecordText(r), r.Content, how), cfRouteFix(f, h.Host))
			return &fd
		})
	}
	return c
}
