package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfAlwaysOnline: with Always Online off, an origin outage shows as an error
// page; with it on, visitors may see an archived copy instead (info only).
func cfAlwaysOnline() agent.Check {
	c := agent.Check{
		Code:     "CF052",
		Title:    "Always Online is off",
		Hop:      agent.HopEdge,
		Severity: agent.Info,
		Explain: "Always Online serves a copy from the Internet Archive when the origin is unreachable. With it off, " +
			"visitors see the 502/504/530 error itself. Neither is wrong: on masks outages from visitors, off shows them.",
		Fix:   "Optional: dashboard > the zone > Caching > Configuration > Always Online: on.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		return cfSettingIs(c, s, func(z *cfapi.Zone) cfapi.Setting { return z.Settings.AlwaysOnline }, "off",
			func(z *cfapi.Zone, _ cfapi.Setting) string {
				return fmt.Sprintf("Always Online is off for %s: during an origin outage visitors see the error page, not an archived copy.", z.Name)
			})
	}
	return c
}
