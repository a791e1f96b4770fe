package checks

import (
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfNoToken: one finding, not one per check, when there is no API token.
func cfNoToken() agent.Check {
	c := agent.Check{
		Code:     "CF001",
		Title:    "No Cloudflare API token: account checks skipped",
		Hop:      agent.HopEdge,
		Severity: agent.Info,
		Explain: "Without an API token tunneldoctor cannot see the zone, DNS records, zone settings or the " +
			"tunnel's state at Cloudflare, so those checks are skipped. The outside-in probe and the status " +
			"page do not need a token.",
		Fix: "Create a read-only token (dash.cloudflare.com > My Profile > API Tokens > Create Token > Custom) with " +
			strings.Join(cfapi.AllPermissions, ", ") + ", and pass it as CLOUDFLARE_API_TOKEN or as a Docker secret " +
			"whose path is in CLOUDFLARE_API_TOKEN_FILE.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		if f == nil || s.Edge.TokenSourceError != "" || f.Skipped[cfapi.EndpointZones] != cfapi.SkipNoToken {
			return nil
		}
		var skipped []string
		for _, e := range []string{cfapi.EndpointZones, cfapi.EndpointTunnel} {
			skipped = append(skipped, cfChecksFor(e)...)
		}
		out := c.Finding(agent.Info, "No Cloudflare API token: zone, DNS, zone-setting and tunnel checks at Cloudflare were skipped ("+
			strings.Join(skipped, ", ")+").")
		out.Fix = c.Fix
		out.Evidence = map[string]string{
			"skipped_checks": strings.Join(skipped, ","),
			"permissions":    strings.Join(cfapi.AllPermissions, "; "),
		}
		if why := s.Edge.PublicSkipped; why != "" {
			out.Evidence["outside_in_probe"] = "not run: " + why
		}
		return []agent.Finding{out}
	}
	return c
}
