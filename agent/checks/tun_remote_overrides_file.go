package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// tunRemoteOverridesFile: the dashboard's configuration is live, so the
// local file's ingress is ignored.
func tunRemoteOverridesFile() agent.Check {
	c := agent.Check{
		Code:     "TUN012",
		Title:    "Dashboard configuration overrides the local file",
		Hop:      agent.HopIngress,
		Severity: agent.Warn,
		Explain: "A dashboard-managed tunnel receives its ingress from Cloudflare (cloudflared's /config version " +
			">= 0) and replaces all local ingress with it. Edits to the mounted config.yml then change nothing, " +
			"which is a classic cause of \"I fixed the service but still get 502\".",
		Fix:   "Make the change in the dashboard (Zero Trust → Networks → Tunnels → Public Hostname), and drop the file's ingress to avoid confusion.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		live, file := s.Cloudflared.Config, s.Ingress.File
		if live == nil || live.Version < 0 || file == nil || len(file.Rules) == 0 {
			return nil
		}
		diff := ruleDiff(live.Rules, file.Rules, "the dashboard", "the file")
		path := file.Path
		msg := fmt.Sprintf("cloudflared runs the dashboard's configuration (version %d); the ingress in %s is ignored", live.Version, path)
		sev := agent.Info
		if len(diff) > 0 {
			msg += fmt.Sprintf(", and %d rule(s) differ: cloudflared uses the dashboard's.", len(diff))
			sev = agent.Warn
		} else {
			msg += " (its rules match the dashboard's today)."
		}
		f := c.Finding(sev, msg)
		f.Evidence = map[string]string{"config_version": fmt.Sprint(live.Version), "file": path}
		if len(diff) > 0 {
			f.Evidence["differences"] = diffEvidence(diff)
		}
		f.Fix = "Edit the public hostnames in Zero Trust → Networks → Tunnels → your tunnel → Public Hostname: that is what cloudflared runs. " +
			"Remove the ingress section from " + path + " (or stop mounting it) so nobody edits the wrong copy; " +
			"a tunnel migrated to the dashboard cannot go back to local configuration."
		return []agent.Finding{f}
	}
	return c
}
