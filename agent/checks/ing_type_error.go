package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingTypeError: a config value has the wrong type.
func ingTypeError() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING002",
		Title:    "A config value has the wrong type",
		Severity: agent.Error,
		Explain:  "cloudflared refuses the whole file when a value has the wrong YAML type: a duration written as a number (`connectTimeout: 5` instead of `5s`), a word where true/false belongs, a map where the ingress list belongs, or a top-level flag such as `metrics: 5` that must be a string. It exits before connecting.",
		Fix:      "Write durations with a unit (`30s`), booleans as true/false, numbers unquoted, and quote flag values that look like numbers (`metrics: \"0.0.0.0:20241\"`).",
	}, tunnelcfg.KindTypeError, tunnelcfg.KindSettingType)
}
