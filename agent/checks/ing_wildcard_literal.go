package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingWildcardLiteral: a hostname starts with `*` but is not a wildcard.
func ingWildcardLiteral() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING017",
		Title:    "A hostname starts with `*` but is not a wildcard",
		Severity: agent.Warn,
		Explain:  "Only a leading `*.` label is a wildcard. `*foo.example.com` passes cloudflared's validation but matches only a request for the literal name `*foo.example.com`, i.e. never.",
		Fix:      "Use `*.example.com` or list the hostnames.",
	}, tunnelcfg.KindWildcardLiteral)
}
