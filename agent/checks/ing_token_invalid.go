package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingTokenInvalid: the tunnel token in cloudflared's arguments or environment does not decode.
func ingTokenInvalid() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING032",
		Title:    "The tunnel token in cloudflared's arguments or environment does not decode",
		Severity: agent.Error,
		Explain:  "A tunnel token is standard base64 of a JSON object {a, t, s}. A truncated copy, URL-safe base64, quotes or a newline from a .env file, or the tunnel UUID given instead of the token make cloudflared exit: \"Provided Tunnel token is not valid.\".",
		Fix:      "Copy the token again from the dashboard's install command and pass it unquoted as TUNNEL_TOKEN.",
	}, tunnelcfg.KindTokenInvalid)
}
