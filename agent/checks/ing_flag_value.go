package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingFlagValue: a cloudflared flag or environment variable has an invalid value.
func ingFlagValue() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING030",
		Title:    "A cloudflared flag or environment variable has an invalid value",
		Severity: agent.Error,
		Explain:  "cloudflared parses flag values by type: a number for --retries, a duration with a unit for --grace-period, true/false for NO_TLS_VERIFY. An unparsable value, or a flag missing its value, stops it at start.",
		Fix:      "Give the value in the flag's type (e.g. `--grace-period 30s`, `NO_TLS_VERIFY=true`).",
	}, tunnelcfg.KindFlagValueInvalid)
}
