package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingLastRuleNotCatchAll: the last ingress rule is not a catch-all.
func ingLastRuleNotCatchAll() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING005",
		Title:    "The last ingress rule is not a catch-all",
		Severity: agent.Error,
		Explain:  "cloudflared requires the last rule to match every request (no hostname, or `*`, and no path); otherwise it refuses the configuration: \"The last ingress rule must match all URLs\".",
		Fix:      "Append `- service: http_status:404` as the last rule.",
	}, tunnelcfg.KindLastRuleNotCatchAll)
}
