package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// cfZonePaused: a paused zone only answers DNS; nothing is proxied, so no
// request reaches the tunnel.
func cfZonePaused() agent.Check {
	c := agent.Check{
		Code:     "CF010",
		Title:    "Zone is paused: Cloudflare does not proxy it",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "A paused zone (\"Pause Cloudflare on Site\") only serves DNS: proxied records stop being proxied, " +
			"and a tunnel route (CNAME to <id>.cfargotunnel.com) only works when proxied, so visitors cannot reach the tunnel.",
		Fix:   "Resume the zone: dashboard > the zone > Overview > Advanced Actions > Resume Cloudflare on Site.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		hosts, zones := cfZoneHosts(s)
		var out []agent.Finding
		for _, id := range cfSortedKeys(zones) {
			if z := zones[id]; z.Paused {
				out = append(out, cfZoneFinding(c, agent.Error, z, hosts[id],
					fmt.Sprintf("Zone %s is paused: Cloudflare does not proxy %s, so no request reaches the tunnel.", z.Name, cfHostNames(hosts[id])),
					c.Fix+fmt.Sprintf(" Or by API: curl -X PATCH -H \"Authorization: Bearer $TOKEN\" -d '{\"paused\":false}' https://api.cloudflare.com/client/v4/zones/%s", z.ID)))
			}
		}
		return out
	}
	return c
}
