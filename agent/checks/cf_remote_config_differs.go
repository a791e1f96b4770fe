package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// cfRemoteConfigDiffers: the tunnel is dashboard-managed, so cloudflared
// ignores the ingress of the mounted config file; list where they differ.
func cfRemoteConfigDiffers() agent.Check {
	c := agent.Check{
		Code:     "CF040",
		Title:    "Dashboard-managed tunnel: the local config file's ingress is ignored",
		Hop:      agent.HopEdge,
		Severity: agent.Warn,
		Explain: "The API says the tunnel's configuration lives in the dashboard (config_src \"cloudflare\"). " +
			"cloudflared then uses the dashboard's ingress and ignores the ingress of its config file, so edits " +
			"to the file change nothing. This check works from the API; when cloudflared's own /config was read, " +
			"the tunnel-hop check reports the same conflict from what cloudflared runs, and this one stays quiet.",
		Fix:   "Edit the ingress in the dashboard (Zero Trust > Networks > Tunnels > the tunnel > Public Hostname), or migrate back to a local file (not reversible from the dashboard) and drop the dashboard rules.",
		Needs: []string{agent.SourceEdge, agent.SourceIngress},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		file := s.Ingress.File
		if f == nil || f.Tunnel == nil || !f.Tunnel.RemotelyManaged() || f.RemoteConfig == nil || file == nil {
			return nil
		}
		if live := s.Ingress.Config; live != nil && live.Origin == tunnelcfg.FromCloudflared && live.Version >= 0 {
			return nil // cloudflared's /config was read: the tunnel-hop check reports it
		}
		diffs := cfRuleDiffs(f.RemoteConfig.Rules, file.Rules)
		if len(diffs) == 0 {
			return nil
		}
		where := file.Path
		if where == "" {
			where = "the local config file"
		}
		fd := c.Finding(agent.Warn, fmt.Sprintf("Tunnel %q is dashboard-managed (configuration version %d): cloudflared uses the dashboard's ingress and ignores %s, which differs in %d rule(s).",
			f.Tunnel.Name, f.RemoteConfig.Version, where, len(diffs)))
		fd.Fix = c.Fix
		fd.Evidence = map[string]string{"config_src": f.Tunnel.ConfigSrc, "differences": strings.Join(diffs, "\n"), "file": where}
		return []agent.Finding{fd}
	}
	return c
}

// cfRuleDiffs compares two rule lists position by position.
func cfRuleDiffs(remote, local []tunnelcfg.Rule) []string {
	show := func(rs []tunnelcfg.Rule, i int) string {
		if i >= len(rs) {
			return "(no rule)"
		}
		r := rs[i]
		h := r.Hostname
		if h == "" {
			h = "*"
		}
		if r.Path != "" {
			h += " path " + r.Path
		}
		return h + " -> " + r.Service
	}
	var out []string
	for i := 0; i < max(len(remote), len(local)); i++ {
		d, l := show(remote, i), show(local, i)
		if d != l {
			out = append(out, fmt.Sprintf("rule #%d: dashboard %s; file %s", i, d, l))
		}
	}
	return out
}
