package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingHostnameUpper: a hostname has upper case.
func ingHostnameUpper() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING023",
		Title:    "A hostname has upper case",
		Severity: agent.Info,
		Explain:  "cloudflared also matches the lowercase (IDNA) form of a plain hostname, so browsers' lowercase requests match; a request whose Host keeps other capitals does not. Lower case avoids surprises.",
		Fix:      "Write the hostname in lower case.",
	}, tunnelcfg.KindHostnameUpperCase)
}
