package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// cfTunnelDown: no cloudflared holds a connection to the edge: visitors get
// 530 with error 1033.
func cfTunnelDown() agent.Check {
	c := agent.Check{
		Code:     "CF031",
		Title:    "Tunnel is down or has never connected",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "Cloudflare sees no connection from any cloudflared for this tunnel: status \"down\" (it was " +
			"connected, then every connection closed) or \"inactive\" (no cloudflared has ever run it). Visitors " +
			"get HTTP 530 with error 1033.",
		Fix:   "Start cloudflared with this tunnel's token and read its log: `docker logs --tail 50 <cloudflared>` (the TUN checks name the cause when tunneldoctor can see cloudflared).",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		if f == nil || f.Tunnel == nil || f.Tunnel.Deleted() {
			return nil
		}
		t := f.Tunnel
		var msg string
		switch t.Status {
		case "down":
			since := ""
			if !t.ConnsInactiveAt.IsZero() {
				since = " since " + t.ConnsInactiveAt.UTC().Format("2006-01-02 15:04 MST")
			}
			msg = fmt.Sprintf("Tunnel %q is down at Cloudflare: no cloudflared connection%s, so visitors get 530/1033.", t.Name, since)
		case "inactive":
			msg = fmt.Sprintf("Tunnel %q is inactive at Cloudflare: no cloudflared has ever connected it, so visitors get 530/1033.", t.Name)
		default:
			return nil
		}
		return []agent.Finding{cfTunnelFinding(c, agent.Error, t, msg, c.Fix)}
	}
	return c
}
