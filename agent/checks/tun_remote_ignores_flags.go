package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// tunRemoteIgnoresFlags: --url and the legacy origin flags do nothing while
// the dashboard's ingress is live.
func tunRemoteIgnoresFlags() agent.Check {
	c := agent.Check{
		Code:     "TUN013",
		Title:    "--url / origin flags ignored: the dashboard's ingress is live",
		Hop:      agent.HopIngress,
		Severity: agent.Warn,
		Explain: "--url, --no-tls-verify, --origin-server-name, --http-host-header and --origin-ca-pool only " +
			"apply when cloudflared has no ingress rules. A dashboard-managed tunnel always has them, so these " +
			"flags are silently ignored.",
		Fix:   "Set the service and its TLS options on the public hostname in the dashboard, and remove the flags.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		live, st := s.Cloudflared.Config, s.Ingress.Settings
		if live == nil || live.Version < 0 || st == nil {
			return nil
		}
		var ignored []string
		if st.URL != "" {
			ignored = append(ignored, "--url "+st.URL)
		}
		if st.NoTLSVerify {
			ignored = append(ignored, "--no-tls-verify")
		}
		if st.OriginServerName != "" {
			ignored = append(ignored, "--origin-server-name "+st.OriginServerName)
		}
		if st.HTTPHostHeader != "" {
			ignored = append(ignored, "--http-host-header "+st.HTTPHostHeader)
		}
		if st.OriginCAPool != "" {
			ignored = append(ignored, "--origin-ca-pool "+st.OriginCAPool)
		}
		if len(ignored) == 0 {
			return nil
		}
		f := c.Finding(agent.Warn, fmt.Sprintf("cloudflared ignores %s: the dashboard's ingress (version %d) is live.",
			strings.Join(ignored, ", "), live.Version))
		f.Evidence = map[string]string{"ignored": strings.Join(ignored, "\n"), "config_version": fmt.Sprint(live.Version)}
		f.Fix = "Remove these flags (or TUNNEL_URL / NO_TLS_VERIFY / TUNNEL_ORIGIN_* variables) from cloudflared, and set the service " +
			"and its TLS settings (No TLS Verify, Origin Server Name, HTTP Host Header) on the public hostname in the dashboard."
		return []agent.Finding{f}
	}
	return c
}
