package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingNoRules: no ingress rules. In a file cloudflared refuses it; in the
// live configuration (cloudflared's /config, the API's) it is accepted but
// every request gets a 503, so that too is an error.
func ingNoRules() problemCheck {
	pc := newProblemCheck(agent.Check{
		Code:     "ING004",
		Title:    "No ingress rules",
		Severity: agent.Error,
		Explain:  "The configuration has no ingress rules. `cloudflared tunnel ingress validate` rejects it; `tunnel run` serves --url/--hello-world when given, else answers 503 to every request unless the dashboard pushes a configuration. A live configuration (cloudflared's /config, the API's) whose only rule is cloudflared's built-in `http_status:503` catch-all has no rules either.",
		Fix:      "Add an `ingress:` list that ends with a catch-all rule (`- service: http_status:404`), or manage the routes in the dashboard.",
	}, tunnelcfg.KindNoRules)
	c := pc.check
	pc.check.Run = func(s *agent.Snapshot) []agent.Finding { return noRulesFindings(c, s) }
	return pc
}

func noRulesFindings(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, sp := range ingProblems(s) {
		if sp.Kind != tunnelcfg.KindNoRules {
			continue
		}
		f := problemFinding(c, s, sp)
		if sp.cfg != nil && sp.cfg == s.Ingress.Config &&
			(sp.cfg.Origin == tunnelcfg.FromCloudflared || sp.cfg.Origin == tunnelcfg.FromAPI) {
			// cloudflared accepts it, but nothing is served.
			f.Severity = agent.Error
		}
		out = append(out, f)
	}
	return out
}
