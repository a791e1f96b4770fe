package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// cfZoneMissing: no zone the token sees (in the tunnel's account) covers an
// ingress hostname.
func cfZoneMissing() agent.Check {
	c := agent.Check{
		Code:     "CF012",
		Title:    "Hostname's zone is not in the tunnel's account",
		Hop:      agent.HopEdge,
		Severity: agent.Warn,
		Explain: "A tunnel route only works for a record in a zone of the tunnel's own account: cfargotunnel.com " +
			"refuses to proxy records of other accounts. No zone visible to the token covers this hostname: it is " +
			"in another account, not on Cloudflare at all, or outside the token's zone resources.",
		Fix:   "Add the domain to the tunnel's Cloudflare account (or run the tunnel in the account that holds the zone), and make sure the token's Zone Resources include it.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		if f == nil || !f.ZonesListed || f.ZonesTruncated {
			return nil // not listed, or too many zones to list: absence is unproven
		}
		var names []string
		for _, z := range f.Zones {
			names = append(names, z.Name)
		}
		var out []agent.Finding
		for _, h := range cfIngressHosts(s) {
			if f.ZoneFor(h.Host) != nil || !cfUnderAny(h.Host, f.ZoneFilter) {
				continue // found, or outside the zones --zone asked for
			}
			where := "the tunnel's account " + f.AccountID
			if f.AccountID == "" {
				where = "any account this token can see"
			}
			fd := cfFinding(c, agent.Warn, h, fmt.Sprintf("No zone in %s covers %s: Cloudflare cannot route it to this tunnel.", where, h.Host), c.Fix)
			fd.Evidence["zones_seen"] = strings.Join(names, ", ")
			if len(names) == 0 {
				fd.Evidence["zones_seen"] = "(none)"
			}
			out = append(out, fd)
		}
		return out
	}
	return c
}

// cfUnderAny reports whether host is in one of the zones (true when none given).
func cfUnderAny(host string, zones []string) bool {
	if len(zones) == 0 {
		return true
	}
	host = strings.TrimPrefix(host, "*.")
	for _, z := range zones {
		if host == z || strings.HasSuffix(host, "."+z) {
			return true
		}
	}
	return false
}
