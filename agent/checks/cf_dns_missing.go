package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfDNSMissing: an ingress hostname has no DNS record at all, so visitors
// get NXDOMAIN and never reach Cloudflare.
func cfDNSMissing() agent.Check {
	c := agent.Check{
		Code:     "CF020",
		Title:    "No DNS record for an ingress hostname",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "An ingress rule only decides where requests go once they reach the tunnel; DNS must first send " +
			"them there with a proxied CNAME to <tunnel-id>.cfargotunnel.com. Without any record (or a wildcard " +
			"that covers it) the hostname does not resolve.",
		Fix:   "Route the hostname to the tunnel: cloudflared tunnel route dns <tunnel> <hostname>.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		return cfReadHostFindings(s, func(h cfHost, z *cfapi.Zone) []agent.Finding {
			if cfHasRecord(z, h.Host) {
				return nil
			}
			fd := cfFinding(c, agent.Error, h, fmt.Sprintf("%s has no DNS record in zone %s: visitors get NXDOMAIN and never reach the tunnel.", h.Host, z.Name),
				cfRouteFix(cfAPI(s), h.Host))
			fd.Evidence["zone"] = z.Name
			return []agent.Finding{fd}
		})
	}
	return c
}

// cfHasRecord: a record answers for host; for a "*.base" rule, a wildcard
// record or any record below base will do.
func cfHasRecord(z *cfapi.Zone, host string) bool {
	if base, ok := strings.CutPrefix(host, "*."); ok {
		for _, r := range z.Records {
			if r.Name == host || strings.HasSuffix(r.Name, "."+base) {
				return true
			}
		}
		return false
	}
	return len(z.Covering(host)) > 0
}
