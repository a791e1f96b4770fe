package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// cfTunnelDegraded: the tunnel serves, but at least one connection failed.
func cfTunnelDegraded() agent.Check {
	c := agent.Check{
		Code:     "CF032",
		Title:    "Tunnel is degraded",
		Hop:      agent.HopEdge,
		Severity: agent.Warn,
		Explain: "\"degraded\" means the tunnel is serving but at least one of its edge connections failed " +
			"(normally 4 per cloudflared). Often UDP 7844 (QUIC) is partly blocked, or a replica is restarting.",
		Fix:   "Read cloudflared's log for failed connections; if QUIC is blocked, allow egress UDP 7844 or run cloudflared with --protocol http2.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		if f == nil || f.Tunnel == nil || f.Tunnel.Status != "degraded" || f.Tunnel.Deleted() {
			return nil
		}
		t := f.Tunnel
		fd := cfTunnelFinding(c, agent.Warn, t, fmt.Sprintf("Tunnel %q is degraded: serving, but %s.", t.Name, cfConnSummary(f)), c.Fix)
		return []agent.Finding{fd}
	}
	return c
}
