package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingBadWildcard: a hostname has a wildcard that is not a leading `*.`.
func ingBadWildcard() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING007",
		Title:    "A hostname has a wildcard that is not a leading `*.`",
		Severity: agent.Error,
		Explain:  "cloudflared only accepts one `*`, as the first label (`*.example.com`); `app.*.example.com` or `*.*.example.com` make it refuse the configuration.",
		Fix:      "Use `*.example.com`, or list the hostnames one rule each.",
	}, tunnelcfg.KindBadWildcard)
}
