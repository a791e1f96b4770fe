package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingRunExtraArgs: arguments after the tunnel name are not parsed.
func ingRunExtraArgs() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING031",
		Title:    "Arguments after the tunnel name are not parsed",
		Severity: agent.Error,
		Explain:  "Flag parsing stops at the first non-flag argument, so in `tunnel run my-tunnel --token T` the --token is an extra argument and cloudflared exits: \"cloudflared tunnel run\" accepts only one argument.",
		Fix:      "Put every flag before the tunnel name: `cloudflared tunnel run --token T` or `... run --credentials-file F my-tunnel`.",
	}, tunnelcfg.KindRunExtraArgs)
}
