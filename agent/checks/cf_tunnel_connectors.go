package checks

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfTunnelConnectors: how many cloudflared replicas serve the tunnel, and
// whether they run the same configuration.
func cfTunnelConnectors() agent.Check {
	c := agent.Check{
		Code:     "CF033",
		Title:    "Tunnel connectors (cloudflared replicas)",
		Hop:      agent.HopEdge,
		Severity: agent.Info,
		Explain: "Each running cloudflared is a connector; the edge spreads requests over all of them. Replicas " +
			"with different configurations answer the same hostname differently (intermittent 502/404). For a " +
			"dashboard-managed tunnel, a connector whose config_version is below the dashboard's has not applied the latest configuration.",
		Fix:   "Run every replica with the same configuration and cloudflared version; restart a replica that lags behind the dashboard configuration.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		if f == nil || !f.ConnectorsRead || f.Tunnel == nil || f.Tunnel.Deleted() {
			return nil
		}
		t := f.Tunnel
		ev := map[string]string{"connectors": strconv.Itoa(len(f.Connectors))}
		var versions, cfgVersions []string
		for _, k := range f.Connectors {
			versions = cfAppendNew(versions, k.Version)
			cfgVersions = cfAppendNew(cfgVersions, strconv.FormatInt(k.ConfigVersion, 10))
			ev["connector "+k.ID] = fmt.Sprintf("cloudflared %s (%s), config_version %d, %s", k.Version, k.Arch, k.ConfigVersion, cfColos(k))
		}
		sort.Strings(versions)
		var out []agent.Finding
		if f.RemoteConfig != nil && t.RemotelyManaged() {
			for _, k := range f.Connectors {
				if k.ConfigVersion < int64(f.RemoteConfig.Version) {
					fd := cfTunnelFinding(c, agent.Warn, t, fmt.Sprintf("Connector %s of tunnel %q runs configuration version %d; the dashboard's is %d: it has not applied the latest ingress.",
						k.ID, t.Name, k.ConfigVersion, f.RemoteConfig.Version), "Restart that cloudflared replica (docker restart <container>) and check it can reach the edge.")
					fd.Evidence[agent.EvidenceSubject] = k.ID
					out = append(out, fd)
				}
			}
		}
		if len(cfgVersions) > 1 && !t.RemotelyManaged() {
			fd := cfTunnelFinding(c, agent.Warn, t, fmt.Sprintf("Tunnel %q has %d connectors with different configuration versions (%s): replicas may answer the same hostname differently.",
				t.Name, len(f.Connectors), strings.Join(cfgVersions, ", ")), c.Fix)
			out = append(out, fd)
		}
		if len(f.Connectors) == 0 {
			return out // CF031 covers a tunnel without connectors
		}
		info := cfTunnelFinding(c, agent.Info, t, fmt.Sprintf("Tunnel %q has %d connector(s) (cloudflared %s): %s.",
			t.Name, len(f.Connectors), strings.Join(versions, ", "), cfConnSummary(f)), "Nothing to do.")
		for k, v := range ev {
			info.Evidence[k] = v
		}
		return append(out, info)
	}
	return c
}

// cfConnSummary counts edge connections and names their data centres.
func cfConnSummary(f *cfapi.Facts) string {
	n, pending := 0, 0
	var colos []string
	for _, k := range f.Connectors {
		for _, cn := range k.Conns {
			if cn.IsPendingReconnect {
				pending++
				continue
			}
			n++
			colos = cfAppendNew(colos, cn.ColoName)
		}
	}
	sort.Strings(colos)
	s := fmt.Sprintf("%d edge connection(s)", n)
	if len(colos) > 0 {
		s += " to " + strings.Join(colos, ", ")
	}
	if pending > 0 {
		s += fmt.Sprintf(", %d pending reconnect", pending)
	}
	return s
}

func cfColos(k cfapi.Connector) string {
	var colos []string
	for _, cn := range k.Conns {
		colos = append(colos, cn.ColoName)
	}
	return fmt.Sprintf("%d connection(s) %s", len(k.Conns), strings.Join(colos, " "))
}
