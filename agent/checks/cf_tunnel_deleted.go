package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// cfTunnelDeleted: the tunnel cloudflared runs was deleted at Cloudflare.
func cfTunnelDeleted() agent.Check {
	c := agent.Check{
		Code:     "CF030",
		Title:    "Tunnel is deleted at Cloudflare",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "The API reports the tunnel as deleted (deleted_at is set). cloudflared cannot connect with its " +
			"token any more, and DNS records pointing at it lead nowhere (530/1033).",
		Fix:   "Create a tunnel (`cloudflared tunnel create NAME` or the dashboard), run cloudflared with its token, and re-point every hostname: `cloudflared tunnel route dns --overwrite-dns NAME HOSTNAME`.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		if f == nil || f.Tunnel == nil || !f.Tunnel.Deleted() {
			return nil
		}
		t := f.Tunnel
		return []agent.Finding{cfTunnelFinding(c, agent.Error, t,
			fmt.Sprintf("Tunnel %q (%s) was deleted at Cloudflare on %s: cloudflared cannot serve it.", t.Name, t.ID, t.DeletedAt.UTC().Format("2006-01-02 15:04 MST")), c.Fix)}
	}
	return c
}
