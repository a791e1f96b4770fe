package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingSettingNotFromFile: a flag in the config file that cloudflared never reads from it.
func ingSettingNotFromFile() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING021",
		Title:    "A flag in the config file that cloudflared never reads from it",
		Severity: agent.Warn,
		Explain:  "cloudflared reads most flags from the config file, but not `config` and `output` (and a few run-only flags): those lines have no effect.",
		Fix:      "Pass the flag on cloudflared's command line before `run`, or via its environment variable.",
	}, tunnelcfg.KindSettingNotFromFile)
}
