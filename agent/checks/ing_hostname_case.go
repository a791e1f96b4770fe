package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingHostnameCase: an upper-case hostname can never match.
func ingHostnameCase() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING018",
		Title:    "An upper-case hostname can never match",
		Severity: agent.Warn,
		Explain:  "cloudflared compares hostnames case-sensitively and only adds a lowercase (IDNA) form for plain names; a wildcard or an underscore name with upper case keeps its case, while browsers send lower case, so the rule never matches.",
		Fix:      "Write hostnames in lower case.",
	}, tunnelcfg.KindHostnameCaseNoMatch)
}
