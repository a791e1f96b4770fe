package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingRuleShadowed: a rule can never match because an earlier one takes its requests.
func ingRuleShadowed() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING016",
		Title:    "A rule can never match because an earlier one takes its requests",
		Severity: agent.Warn,
		Explain:  "cloudflared uses the first rule that matches. A wildcard (`*.example.com`) or a path-less rule for the same hostname placed before a more specific rule takes all its requests, so the later rule never runs and requests reach the wrong origin.",
		Fix:      "Order rules from specific to general: exact hostnames and paths first, wildcards after, catch-all last.",
	}, tunnelcfg.KindRuleShadowed, tunnelcfg.KindDuplicateRule)
}
