package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// cfIncident: Cloudflare's status page lists an unresolved incident.
func cfIncident() agent.Check {
	c := agent.Check{
		Code:     "CF060",
		Title:    "Active Cloudflare incident",
		Hop:      agent.HopEdge,
		Severity: agent.Warn,
		Explain: "Cloudflare's status page (cloudflarestatus.com) lists an unresolved incident. A major or critical " +
			"one, or one in the data centre that serves this machine (the colo of /cdn-cgi/trace), can explain " +
			"errors no local change will fix.",
		Fix:   "Follow the incident's page; if it matches the symptoms, wait for Cloudflare's fix rather than changing the setup.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		if f == nil {
			return nil
		}
		colos := map[string]bool{}
		for _, p := range s.Edge.Public {
			if p.Trace.Colo != "" {
				colos[strings.ToUpper(p.Trace.Colo)] = true
			}
		}
		var out []agent.Finding
		for _, in := range f.Incidents {
			sev := agent.Info
			var here []string
			for _, comp := range in.Components {
				for colo := range colos {
					if strings.Contains(strings.ToUpper(comp), "("+colo+")") {
						here = append(here, comp)
					}
				}
			}
			if in.Impact == "major" || in.Impact == "critical" || len(here) > 0 {
				sev = agent.Warn
			}
			msg := fmt.Sprintf("Cloudflare reports an unresolved incident (%s, impact %s): %q.", in.Status, in.Impact, in.Name)
			if len(here) > 0 {
				msg += " It affects the data centre serving this machine: " + strings.Join(here, ", ") + "."
			}
			fd := c.Finding(sev, msg)
			fd.Fix = c.Fix
			if in.Shortlink != "" {
				fd.Fix = "Follow " + in.Shortlink + "; if it matches the symptoms, wait for Cloudflare's fix rather than changing the setup."
			}
			fd.Evidence = map[string]string{agent.EvidenceSubject: in.Name, "impact": in.Impact, "status": in.Status,
				"components": strings.Join(in.Components, ", ")}
			if !in.CreatedAt.IsZero() {
				fd.Evidence["created_at"] = in.CreatedAt.UTC().Format("2006-01-02 15:04 MST")
			}
			out = append(out, fd)
		}
		return out
	}
	return c
}
