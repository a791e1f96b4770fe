package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfErrorPagePassThru: the origin's own 502/504 pages reach visitors
// instead of Cloudflare's, which changes how to read an error page.
func cfErrorPagePassThru() agent.Check {
	c := agent.Check{
		Code:     "CF053",
		Title:    "Origin error page pass-through is on",
		Hop:      agent.HopEdge,
		Severity: agent.Info,
		Explain: "Normally Cloudflare replaces an origin's 502/504 with its own branded page. With " +
			"origin_error_page_pass_thru on (Enterprise), visitors get the origin's page instead: a plain " +
			"\"502 Bad Gateway\" from nginx then comes from the origin, not from Cloudflare or the tunnel.",
		Fix:   "Nothing to fix; read 502/504 pages with this in mind (the outside-in checks CF070/CF071 tell who produced them).",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		return cfSettingIs(c, s, func(z *cfapi.Zone) cfapi.Setting { return z.Settings.OriginErrorPagePassThru }, "on",
			func(z *cfapi.Zone, _ cfapi.Setting) string {
				return fmt.Sprintf("Origin error page pass-through is on for %s: visitors see the origin's own 502/504 pages, not Cloudflare's.", z.Name)
			})
	}
	return c
}
