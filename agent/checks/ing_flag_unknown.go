package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingFlagUnknown: cloudflared's command line has a flag tunneldoctor does not know.
func ingFlagUnknown() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING029",
		Title:    "cloudflared's command line has a flag tunneldoctor does not know",
		Severity: agent.Info,
		Explain:  "The flag is not in tunneldoctor's table of cloudflared 2026.8 flags; if cloudflared does not define it either, it stops with \"Incorrect Usage: flag provided but not defined\".",
		Fix:      "Check the spelling against `cloudflared tunnel --help` and `cloudflared tunnel run --help`.",
	}, tunnelcfg.KindFlagUnknown)
}
