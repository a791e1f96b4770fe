package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
)

// tunUnauthorized: the edge refuses to register the tunnel.
func tunUnauthorized() agent.Check {
	c := agent.Check{
		Code:     "TUN007",
		Title:    "Cloudflare refuses the tunnel's credentials",
		Hop:      agent.HopTunnel,
		Severity: agent.Error,
		Explain: "cloudflared reached the edge but registration failed with \"Unauthorized: ...\": the token or " +
			"credentials file belongs to a deleted tunnel, or its secret was rotated. cloudflared retries forever " +
			"and never connects.",
		Fix:   "Run the tunnel with its current token (or credentials file) from the dashboard.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		e, n, ok := lastOf(current(f), cloudflared.KindUnauthorized)
		if !ok || connected(f) {
			return nil
		}
		msg := fmt.Sprintf("Cloudflare's edge refuses %s: %q.", cfName(f), e.Cause)
		var fix string
		switch {
		case strings.Contains(e.Cause, "Invalid tunnel secret"):
			fix = "The secret in cloudflared's token or credentials file no longer matches the tunnel (it was rotated, or the tunnel re-created " +
				"under the same name). Copy the current token from Zero Trust → Networks → Tunnels → your tunnel → Configure, set TUNNEL_TOKEN, " +
				fmt.Sprintf("and `docker restart %s`.", containerRef(f))
		default:
			fix = "The tunnel in cloudflared's token or credentials file no longer exists (deleted). Create a tunnel (or find the right one) " +
				"in Zero Trust → Networks → Tunnels, run cloudflared with that tunnel's token, and point the DNS records at <tunnel-id>.cfargotunnel.com."
		}
		if s.Tunnel.ID != "" {
			fix += " cloudflared presents tunnel " + s.Tunnel.ID + "."
		}
		return []agent.Finding{eventFinding(c, agent.Error, f, e, n, msg, fix)}
	}
	return c
}
