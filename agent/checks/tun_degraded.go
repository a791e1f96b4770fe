package checks

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// tunDegraded: cloudflared is connected, but with fewer edge connections
// than it keeps when healthy.
func tunDegraded() agent.Check {
	c := agent.Check{
		Code:     "TUN016",
		Title:    "cloudflared holds fewer edge connections than it should",
		Hop:      agent.HopTunnel,
		Severity: agent.Warn,
		Explain: "A healthy cloudflared keeps --ha-connections (4 by default) connections to two Cloudflare " +
			"data centres. Fewer, long after start, means some connection attempts keep failing: the tunnel " +
			"works, with less redundancy, and the cause is usually in cloudflared's log (edge errors at WRN).",
		Fix:   "Read cloudflared's log for repeated connection errors; check egress to port 7844 towards both regions.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		if f.Ready == nil || !connected(f) {
			return nil
		}
		want := 4
		if st := s.Ingress.Settings; st != nil {
			if v, ok := st.Flags["ha-connections"]; ok {
				if n, err := strconv.Atoi(v.Value); err == nil && n > 0 {
					want = n
				}
			}
		}
		have := f.Ready.ReadyConnections
		if have >= want {
			return nil
		}
		if p := f.Process; p != nil && !p.StartedAt.IsZero() && s.Taken.Sub(p.StartedAt) < 2*time.Minute {
			return nil // still establishing its connections
		}
		out := c.Finding(agent.Warn, fmt.Sprintf("%s holds %d of its %d edge connections: the tunnel works, with less redundancy.", cfName(f), have, want))
		out.Evidence = tunnelEvidence(f)
		if ts := f.TunnelState; ts != nil {
			var conns []string
			for _, cn := range ts.Connections {
				conns = append(conns, fmt.Sprintf("#%d %s via %s", cn.Index, cn.EdgeAddress, cn.Protocol))
			}
			out.Evidence["connections"] = strings.Join(conns, "\n")
		}
		out.Fix = fmt.Sprintf("Look for repeated edge errors in `docker logs --tail 100 %s` (WRN lines while connected); "+
			"allow egress to port 7844 (TCP and UDP) towards both region1.v2.argotunnel.com and region2.v2.argotunnel.com.", containerRef(f))
		return []agent.Finding{out}
	}
	return c
}
