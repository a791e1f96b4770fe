package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
)

// tunInvalidToken: cloudflared exits with "Provided Tunnel token is not valid."
func tunInvalidToken() agent.Check {
	c := agent.Check{
		Code:     "TUN002",
		Title:    "cloudflared rejects its tunnel token",
		Hop:      agent.HopTunnel,
		Severity: agent.Error,
		Explain: "cloudflared could not decode its --token / TUNNEL_TOKEN (\"Provided Tunnel token is not valid.\") " +
			"and exited. The token is base64 of a JSON object {a, t, s}; a truncated copy, quotes or a newline " +
			"from a .env file, or the tunnel UUID given instead of the token all cause this.",
		Fix:   "Copy the token again from the dashboard and pass it unquoted through TUNNEL_TOKEN.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		e, n, ok := lastOf(current(f), cloudflared.KindInvalidToken)
		if !ok || connected(f) {
			return nil
		}
		msg := fmt.Sprintf("%s exits at start: \"Provided Tunnel token is not valid.\" It never connects, so every hostname of the tunnel fails (530, error 1033).", cfName(f))
		fix := "Copy the token again: Zero Trust → Networks → Tunnels → your tunnel → Configure → the long string after `--token` " +
			"in the install command. Pass it as `TUNNEL_TOKEN` in the environment (compose: `environment: [\"TUNNEL_TOKEN=${TUNNEL_TOKEN}\"]` " +
			"with the value in .env, no quotes, no trailing newline) and run `tunnel run` without --token. " +
			"A UUID is the tunnel ID, not its token."
		return []agent.Finding{eventFinding(c, agent.Error, f, e, n, msg, fix)}
	}
	return c
}
