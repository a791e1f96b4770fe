package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
)

// tunConfigPushFailed: cloudflared rejected a configuration the dashboard pushed.
func tunConfigPushFailed() agent.Check {
	c := agent.Check{
		Code:     "TUN015",
		Title:    "cloudflared rejected a dashboard configuration",
		Hop:      agent.HopTunnel,
		Severity: agent.Warn,
		Explain: "When the dashboard pushes a configuration cloudflared cannot use, it logs \"Failed to update " +
			"ingress\" (or \"Failed to deserialize new configuration\") and keeps running the previous one, so " +
			"dashboard edits seem to have no effect.",
		Fix:   "Correct the public hostname settings in the dashboard (or update cloudflared if the setting is newer than it).",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		e, n, ok := lastOf(f.Events, cloudflared.KindConfigUpdateFailed)
		if !ok {
			return nil
		}
		if u, _, ok := lastOf(f.Events, cloudflared.KindConfigUpdated); ok && u.Time.After(e.Time) {
			return nil // a later push succeeded
		}
		msg := fmt.Sprintf("%s rejected a configuration pushed from the dashboard (%s) and keeps running the previous one.", cfName(f), e.Cause)
		fix := "Fix the public hostname the error names in Zero Trust → Networks → Tunnels, or update cloudflared; " +
			"the live configuration is what /config shows (version in this report's tunnel header)."
		return []agent.Finding{eventFinding(c, agent.Warn, f, e, n, msg, fix)}
	}
	return c
}
