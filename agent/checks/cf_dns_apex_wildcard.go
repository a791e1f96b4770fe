package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfDNSApexWildcard: the zone apex routes to the tunnel but only a "*."
// rule exists for it, and "*.example.com" never matches "example.com".
func cfDNSApexWildcard() agent.Check {
	c := agent.Check{
		Code:     "CF024",
		Title:    "Apex hostname only covered by a *. ingress rule",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "In cloudflared a wildcard rule \"*.example.com\" matches any subdomain but not example.com itself. " +
			"When DNS sends the apex to the tunnel and no rule names it, its requests fall to the catch-all " +
			"(often http_status:404).",
		Fix:   "Add a rule for the apex above the catch-all, e.g. `- hostname: example.com` with the same service as the wildcard rule.",
		Needs: []string{agent.SourceEdge, agent.SourceIngress},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f, cfg := cfAPI(s), s.Ingress.Config
		if f == nil || cfg == nil {
			return nil
		}
		var out []agent.Finding
		for i := range f.Zones {
			z := &f.Zones[i]
			apex := z.Name
			wild := cfRuleFor(cfg, "*."+apex)
			if !z.RecordsRead || wild < 0 || cfRuleFor(cfg, apex) >= 0 || !cfRoutesHere(f, z.RecordsAt(apex)) {
				continue
			}
			h := cfCatchAllHost(cfg, apex)
			fd := cfFinding(c, agent.Error, h, fmt.Sprintf("%s routes to this tunnel, but rule #%d (%s) does not match the apex: its requests fall to %s.",
				apex, wild, cfg.Rules[wild].Hostname, cfCatchAll(cfg)),
				fmt.Sprintf("Add above the catch-all:\n  - hostname: %s\n    service: %s", apex, cfg.Rules[wild].Service))
			fd.Evidence["wildcard_rule"] = fmt.Sprintf("#%d %s -> %s", wild, cfg.Rules[wild].Hostname, cfg.Rules[wild].Service)
			fd.Evidence["record"] = cfRecordsText(z.RecordsAt(apex))
			out = append(out, fd)
		}
		return out
	}
	return c
}

// cfRoutesHere: one of the records is a tunnel route to this tunnel (to any
// tunnel when this tunnel's id is unknown).
func cfRoutesHere(f *cfapi.Facts, rs []cfapi.Record) bool {
	for _, r := range rs {
		if id := r.TunnelOf(); id != "" && (f.TunnelID == "" || id == f.TunnelID) {
			return true
		}
	}
	return false
}
