package checks

import (
	"fmt"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfDevelopmentMode: development mode bypasses the cache, so every request
// reaches the origin through the tunnel.
func cfDevelopmentMode() agent.Check {
	c := agent.Check{
		Code:     "CF051",
		Title:    "Development mode is on",
		Hop:      agent.HopEdge,
		Severity: agent.Warn,
		Explain: "Development mode bypasses Cloudflare's cache for up to 3 hours: every request goes through the " +
			"tunnel to the origin, which can overload a small origin into 502/524 errors.",
		Fix:   "Turn it off when done: dashboard > the zone > Caching > Configuration > Development Mode: off.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		return cfSettingIs(c, s, func(z *cfapi.Zone) cfapi.Setting { return z.Settings.DevelopmentMode }, "on",
			func(z *cfapi.Zone, st cfapi.Setting) string {
				left := ""
				if st.TimeRemaining > 0 {
					left = fmt.Sprintf(" (%s left)", (time.Duration(st.TimeRemaining) * time.Second).Round(time.Minute))
				}
				return fmt.Sprintf("Development mode is on for %s%s: the cache is bypassed and every request reaches the origin.", z.Name, left)
			})
	}
	return c
}
