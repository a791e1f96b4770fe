package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfProxyReadTimeout: the zone's proxy_read_timeout (read from the API) is
// not the default 125 s, and the origin's measured time to first byte comes
// close to or past it: visitors get 524. With the default timeout the
// protocol-hop check judges TTFB, so the two never report the same thing.
func cfProxyReadTimeout() agent.Check {
	c := agent.Check{
		Code:     "CF050",
		Title:    "Origin's first byte near the zone's proxy read timeout (524 risk)",
		Hop:      agent.HopEdge,
		Severity: agent.Warn,
		Explain: "Cloudflare answers 524 when the origin sends no response within the zone's proxy_read_timeout " +
			"(125 s unless an Enterprise zone changed it). This zone's value differs from the default, and the " +
			"origin's time to first byte, measured by the probe, is at 80 % of it or more.",
		Fix:   "Make the origin answer sooner (stream a first byte, move long work to a background job), or raise proxy_read_timeout (Enterprise: API or a Cache Rule).",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		if s.Probes.Missing != "" {
			return nil
		}
		var out []agent.Finding
		for _, r := range s.Probes.Results {
			if r.HTTP == nil || r.HTTP.TTFB <= 0 || r.Target.Hostname == "" {
				continue
			}
			limit, read := s.Edge.ProxyReadTimeout(r.Target.Hostname)
			if !read || limit == cfapi.DefaultProxyReadTimeout {
				continue
			}
			ttfb := r.HTTP.TTFB
			sev := agent.Warn
			verdict := "close to"
			if ttfb >= limit {
				sev, verdict = agent.Error, "past"
			} else if ttfb*10 < limit*8 {
				continue
			}
			h := cfHost{Host: cfapi.NormalizeHost(r.Target.Hostname), Rule: r.Target.Rule, Service: r.Target.Service}
			fd := cfFinding(c, sev, h, fmt.Sprintf("%s: the origin's first byte took %s, %s the zone's proxy_read_timeout of %s: visitors get 524.",
				h.Host, ttfb.Round(1e6), verdict, limit), c.Fix)
			fd.Evidence["ttfb"] = ttfb.String()
			fd.Evidence["proxy_read_timeout"] = limit.String()
			out = append(out, fd)
		}
		return out
	}
	return c
}
