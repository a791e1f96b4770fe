package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingNoRules: no ingress rules.
func ingNoRules() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING004",
		Title:    "No ingress rules",
		Severity: agent.Error,
		Explain:  "The configuration has no ingress rules. `cloudflared tunnel ingress validate` rejects it; `tunnel run` serves --url/--hello-world when given, else answers 503 to every request unless the dashboard pushes a configuration.",
		Fix:      "Add an `ingress:` list that ends with a catch-all rule (`- service: http_status:404`), or manage the routes in the dashboard.",
	}, tunnelcfg.KindNoRules)
}
