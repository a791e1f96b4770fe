package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingFlagMisplaced: a cloudflared flag is on the wrong side of `run`.
func ingFlagMisplaced() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING028",
		Title:    "A cloudflared flag is on the wrong side of `run`",
		Severity: agent.Error,
		Explain:  "urfave/cli gives each command its own flags: --metrics, --config, --loglevel, --logfile, --output and --no-autoupdate belong before `run`; --token, --token-file and --credentials-contents after it. Elsewhere cloudflared stops with \"Incorrect Usage: flag provided but not defined\".",
		Fix:      "Write `cloudflared tunnel [--config F --metrics ADDR ...] run [--token T] [TUNNEL]`.",
	}, tunnelcfg.KindFlagMisplaced)
}
