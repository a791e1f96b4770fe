package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// agtCloudflaredUnknown: Docker answered, but no single cloudflared
// container could be chosen.
func agtCloudflaredUnknown() agent.Check {
	c := agent.Check{
		Code:     "AGT102",
		Title:    "cloudflared container not identified",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "tunneldoctor looks for cloudflared as the container whose network namespace it shares, " +
			"then the one named by --cloudflared, then the only container running a cloudflared image or " +
			"entrypoint. None of these gave exactly one container, so the checks that start from " +
			"cloudflared are skipped.",
		Fix: "Name it: --cloudflared NAME (env TUNNELDOCTOR_CLOUDFLARED), or run tunneldoctor with " +
			"network_mode: \"service:cloudflared\".",
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		d := s.Docker.Discovery
		if s.Docker.Topology == nil || d.Error == "" || s.HostMode() {
			return nil // in host mode no cloudflared container is expected
		}
		sev := agent.Error
		var fix string
		if len(d.Candidates) == 0 {
			sev = agent.Warn
			fix = "Start cloudflared, or name its container with --cloudflared NAME if it runs an image tunneldoctor does not recognise."
		} else {
			first, _, _ := strings.Cut(d.Candidates[0], " ")
			fix = fmt.Sprintf("tunneldoctor check --cloudflared %s\n(or TUNNELDOCTOR_CLOUDFLARED=%s; or run tunneldoctor with network_mode: \"service:%s\")", first, first, first)
		}
		msg := "cloudflared container not identified: " + d.Error
		if len(d.Candidates) > 0 {
			msg += ": " + strings.Join(d.Candidates, ", ")
		}
		f := c.Finding(sev, msg+".")
		f.Fix = fix
		f.Evidence = map[string]string{"candidates": strings.Join(d.Candidates, "\n")}
		return []agent.Finding{f}
	}
	return c
}
