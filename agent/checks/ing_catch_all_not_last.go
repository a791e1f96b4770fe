package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingCatchAllNotLast: a catch-all rule comes before other rules.
func ingCatchAllNotLast() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING006",
		Title:    "A catch-all rule comes before other rules",
		Severity: agent.Error,
		Explain:  "A rule without hostname (or `*`) and without path matches every request, so the rules after it could never be used; cloudflared refuses the configuration (\"Rule #N is matching the hostname ..., but this will match every hostname\").",
		Fix:      "Move the catch-all rule to the end of the list, or give it a hostname; when it is a catch-all only because `hostname` or `path` is misspelt (cloudflared ignores unknown keys), rename the key.",
	}, tunnelcfg.KindCatchAllNotLast)
}
