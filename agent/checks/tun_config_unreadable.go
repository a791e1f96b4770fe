package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// tunConfigUnreadable: cloudflared's metrics server answered, but its
// /config did not give a usable configuration (not JSON, broken, too big):
// the live ingress is unknown, which must never read as "healthy".
func tunConfigUnreadable() agent.Check {
	c := agent.Check{
		Code:     "TUN017",
		Title:    "cloudflared's /config is unusable",
		Hop:      agent.HopTunnel,
		Severity: agent.Warn,
		Explain: "cloudflared's metrics server answers GET /config with the ingress it runs ({\"version\":N,\"config\":{...}}). " +
			"Here it answered something tunneldoctor cannot use: an error status, a body that is not that JSON, or one " +
			"over tunneldoctor's size bound. Something other than cloudflared may answer on that address. Without it, " +
			"the live ingress rules are unknown, and so is every hop behind them.",
		Fix: "Check what answers on cloudflared's metrics address (curl ADDR/config from cloudflared's namespace), point " +
			"--metrics at cloudflared's own metrics server, or pass the rules with --config FILE.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		if f.ConfigError == "" || f.Config != nil {
			return nil
		}
		rules := "so the ingress rules come from " + ingressSource(s)
		if !s.Ingress.Available() {
			rules = "and no other source gave the ingress rules: no hostname, network, origin or protocol check ran"
		}
		msg := fmt.Sprintf("%s's metrics server at %s answered /config with nothing usable (%s), %s.",
			cfName(f), orUnknown(f.MetricsAddr), f.ConfigError, rules)
		out := c.Finding(agent.Warn, msg)
		out.Evidence = tunnelEvidence(f)
		out.Evidence["config_error"] = f.ConfigError
		addr := orUnknown(f.MetricsAddr)
		out.Fix = fmt.Sprintf("See what answers: from cloudflared's namespace, curl -sS http://%s/config (cloudflared answers {\"version\":N,\"config\":{\"ingress\":[...]}}). "+
			"If that is not cloudflared, give tunneldoctor cloudflared's own address with --metrics HOST:PORT; either way tunneldoctor can read "+
			"the rules from the file: mount cloudflared's config and pass --config /etc/cloudflared/config.yml.", addr)
		return []agent.Finding{out}
	}
	return c
}

// ingressSource names where the rules came from when /config did not give them.
func ingressSource(s *agent.Snapshot) string {
	for _, n := range s.Ingress.Notes {
		if src, ok := strings.CutPrefix(n, "ingress: "); ok {
			return src
		}
	}
	return "another source"
}

func orUnknown(v string) string {
	if v == "" {
		return "(unknown address)"
	}
	return v
}
