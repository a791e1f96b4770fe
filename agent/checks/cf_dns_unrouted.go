package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// cfDNSUnrouted: DNS sends a hostname to this tunnel, but no ingress rule
// names it, so it falls to the catch-all.
func cfDNSUnrouted() agent.Check {
	c := agent.Check{
		Code:     "CF025",
		Title:    "DNS routes a hostname to this tunnel but no ingress rule matches it",
		Hop:      agent.HopEdge,
		Severity: agent.Warn,
		Explain: "Every hostname whose proxied CNAME points at this tunnel reaches cloudflared; when no rule " +
			"matches it, the catch-all answers (usually http_status:404). Often a rule was removed or renamed " +
			"but its DNS route was left behind. Only zones holding an ingress hostname are read.",
		Fix:   "Add an ingress rule for the hostname above the catch-all, or delete its DNS record if it is no longer used.",
		Needs: []string{agent.SourceEdge, agent.SourceIngress},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f, cfg := cfAPI(s), s.Ingress.Config
		if f == nil || cfg == nil || f.TunnelID == "" {
			return nil
		}
		var out []agent.Finding
		for i := range f.Zones {
			z := &f.Zones[i]
			if !z.RecordsRead {
				continue
			}
			for _, r := range z.Records {
				if r.TunnelOf() != f.TunnelID || cfRuleFor(cfg, r.Name) >= 0 {
					continue
				}
				if r.Name == z.Name && cfRuleFor(cfg, "*."+z.Name) >= 0 {
					continue // CF024 names this case precisely
				}
				h := cfCatchAllHost(cfg, r.Name)
				fd := cfFinding(c, agent.Warn, h, fmt.Sprintf("%s routes to this tunnel in DNS, but no ingress rule matches it: its requests fall to %s.",
					r.Name, cfCatchAll(cfg)),
					fmt.Sprintf("Add above the catch-all:\n  - hostname: %s\n    service: <the origin>\nor delete the record: dashboard > %s > DNS > Records > %s > Delete.",
						r.Name, z.Name, r.Name))
				fd.Evidence["record"] = cfRecordText(r)
				fd.Evidence["rules"] = cfRuleHosts(cfg.Rules)
				fd.Evidence[agent.EvidenceSubject] = r.ID
				out = append(out, fd)
			}
		}
		return out
	}
	return c
}

func cfRuleHosts(rules []tunnelcfg.Rule) string {
	var hs []string
	for _, r := range rules {
		if r.Hostname != "" {
			hs = append(hs, r.Hostname)
		}
	}
	return strings.Join(hs, ", ")
}
