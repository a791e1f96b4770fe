package checks

import (
	"fmt"
	"net"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// tunMetricsUnreachable: tunneldoctor could not read cloudflared's metrics
// server, so /ready, /config and /diag/tunnel are unknown.
func tunMetricsUnreachable() agent.Check {
	c := agent.Check{
		Code:     "TUN009",
		Title:    "cloudflared's metrics server is unreachable",
		Hop:      agent.HopTunnel,
		Severity: agent.Warn,
		Explain: "tunneldoctor asks cloudflared's metrics server (/ready, /config, /diag/tunnel) what it really " +
			"runs. In the official image it listens on 0.0.0.0:20241-20245 unless --metrics says otherwise; " +
			"bound to 127.0.0.1 it is reachable only from cloudflared's own network namespace. Without it, the " +
			"tunnel's state and its live ingress are inferred.",
		Fix: "Give cloudflared `--metrics 0.0.0.0:20241` before `run`, or run tunneldoctor with " +
			"`network_mode: service:cloudflared`.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		if f.MetricsError == "" || notRunning(f) {
			return nil
		}
		msg := fmt.Sprintf("%s's metrics server could not be read: %s. Its connection state and live ingress are unknown.", cfName(f), f.MetricsError)
		out := c.Finding(agent.Warn, msg)
		out.Evidence = tunnelEvidence(f)
		out.Evidence["metrics_error"] = f.MetricsError
		if f.MetricsFlag != "" {
			out.Evidence["metrics_flag"] = f.MetricsFlag
		}
		for _, p := range f.MetricsProbes {
			out.Evidence["tried "+p.Addr] = p.Error
		}
		host, port, _ := net.SplitHostPort(f.MetricsFlag)
		switch {
		case f.Container == "":
			out.Fix = "Check the address given with --metrics / TUNNELDOCTOR_METRICS: it must be cloudflared's metrics server " +
				"(cloudflared logs \"Starting metrics server on ADDR/metrics\" at start)."
		case f.MetricsFlag != "" && isLoopbackBind(host) && !f.SharesNamespace:
			out.Fix = fmt.Sprintf("cloudflared binds its metrics server to %s, reachable only inside its own namespace. Either bind it to all "+
				"interfaces (`--metrics 0.0.0.0:%s` before `run`), or run tunneldoctor in cloudflared's namespace: "+
				"compose `network_mode: service:cloudflared` (docker run --network container:%s).", f.MetricsFlag, port, f.Container)
		default:
			cmd := commandFix(f, "--metrics", "0.0.0.0:20241")
			if cmd == "" {
				cmd = "`cloudflared tunnel --metrics 0.0.0.0:20241 run ...` (--metrics goes before `run`)."
			}
			out.Fix = "Give cloudflared a fixed metrics address before `run`. " + cmd
		}
		return []agent.Finding{out}
	}
	return c
}
