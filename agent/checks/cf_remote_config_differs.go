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

// cfRuleDiffs compares two rule lists by hostname and path: rules whose
// service differs, and rules only one side has.
func cfRuleDiffs(remote, local []tunnelcfg.Rule) []string {
	key := func(r tunnelcfg.Rule) string {
		h := r.Hostname
		if h == "" {
			h = "*"
		}
		if r.Path != "" {
			h += " path " + r.Path
		}
		return h
	}
	services := func(rs []tunnelcfg.Rule) (map[string]string, []string) {
		m, order := map[string]string{}, []string(nil)
		for _, r := range rs {
			k := key(r)
			if _, dup := m[k]; !dup {
				m[k], order = r.Service, append(order, k)
			}
		}
		return m, order
	}
	dash, dashOrder := services(remote)
	file, fileOrder := services(local)
	var out []string
	for _, k := range dashOrder {
		switch fs, ok := file[k]; {
		case !ok:
			out = append(out, fmt.Sprintf("%s -> %s: only in the dashboard (used)", k, dash[k]))
		case fs != dash[k]:
			out = append(out, fmt.Sprintf("%s: dashboard -> %s (used); file -> %s (ignored)", k, dash[k], fs))
		}
	}
	for _, k := range fileOrder {
		if _, ok := dash[k]; !ok {
			out = append(out, fmt.Sprintf("%s -> %s: only in the file (ignored)", k, file[k]))
		}
	}
	return out
}
