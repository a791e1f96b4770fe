package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// cfZoneNotActive: the zone is pending (name servers not switched yet),
// initializing or moved: Cloudflare does not answer for it on the internet.
func cfZoneNotActive() agent.Check {
	c := agent.Check{
		Code:     "CF011",
		Title:    "Zone is not active (name servers not pointed at Cloudflare)",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "Until the registrar delegates the domain to the zone's Cloudflare name servers, the zone stays " +
			"\"pending\" and the world resolves the hostname elsewhere: tunnel routes in the zone are not used. " +
			"\"moved\" means the delegation went away.",
		Fix:   "At the domain's registrar, set the name servers to the two the zone lists (dashboard > the zone > Overview), then wait for Cloudflare to detect them.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		hosts, zones := cfZoneHosts(s)
		var out []agent.Finding
		for _, id := range cfSortedKeys(zones) {
			z := zones[id]
			if z.Status == "" || z.Status == "active" {
				continue
			}
			fix := c.Fix
			if len(z.NameServers) > 0 {
				fix = fmt.Sprintf("At the domain's registrar, set the name servers of %s to %s, then wait for Cloudflare to detect them (dashboard > Overview > Check nameservers).",
					z.Name, strings.Join(z.NameServers, " and "))
			}
			f := cfZoneFinding(c, agent.Error, z, hosts[id],
				fmt.Sprintf("Zone %s is %s, not active: the internet does not resolve %s through Cloudflare yet, so the tunnel gets no traffic.",
					z.Name, z.Status, cfHostNames(hosts[id])), fix)
			if len(z.NameServers) > 0 {
				f.Evidence["name_servers"] = strings.Join(z.NameServers, ", ")
			}
			out = append(out, f)
		}
		return out
	}
	return c
}
