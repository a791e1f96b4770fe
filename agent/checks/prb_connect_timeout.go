package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// connectTimeout: the origin does not accept the connection in time.
func connectTimeout() agent.Check {
	c := agent.Check{
		Code:     "PRB006",
		Title:    "Connecting to the origin times out",
		Hop:      agent.HopProtocol,
		Severity: agent.Error,
		Explain: "cloudflared gives up on a connection after originRequest.connectTimeout (30s by default) " +
			"and visitors get 502 (or 524 first, when the timeout is over Cloudflare's 125 s). No answer at " +
			"all to a connect means packets are dropped: a firewall, a wrong IP, or a host that is down.",
		Fix:   "Point the service at an address that answers (container name on a shared network), open the firewall; raise connectTimeout only for a slow but working origin.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runConnectTimeout(c, s) }
	return c
}

func runConnectTimeout(c agent.Check, s *agent.Snapshot) []agent.Finding {
	return phaseTimeouts(c, s, probe.PhaseConnect, probe.CauseConnectTimeout, func(r probe.Result) (string, string) {
		t := r.Target
		fix := fmt.Sprintf("Check that %s is the right address and that nothing drops traffic to it from cloudflared; "+
			"use the origin container's name on a network cloudflared shares. Only if the origin is just slow to accept:\n%s",
			targetAddress(t), ruleYAML(t, t.Service, "connectTimeout: "+(2*t.ConnectTimeout).String()))
		if r.CutShort {
			return fmt.Sprintf("%s: %s did not accept a connection within tunneldoctor's %s probe limit; cloudflared waits up to connectTimeout %s, then answers 502%s.",
				ruleName(t), targetAddress(t), r.Limit, t.ConnectTimeout, notCloudflaredView(s)), fix
		}
		return fmt.Sprintf("%s: %s did not accept a connection within connectTimeout %s: cloudflared gives up and visitors get 502%s.",
			ruleName(t), targetAddress(t), t.ConnectTimeout, notCloudflaredView(s)), fix
	})
}
