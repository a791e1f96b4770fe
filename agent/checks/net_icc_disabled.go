package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// netICCDisabled: cloudflared and the origin share only networks with
// inter-container communication disabled.
func netICCDisabled() agent.Check {
	c := agent.Check{
		Code:     "NET006",
		Title:    "Inter-container communication is disabled on the shared network",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "A bridge network created with com.docker.network.bridge.enable_icc=false drops traffic " +
			"between its containers. The name resolves, but cloudflared's connections to the origin time " +
			"out (502/504).",
		Fix:   "Share another network without that option, or re-create the network without enable_icc=false.",
		Needs: netNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runICCDisabled(c, s) }
	return c
}

func runICCDisabled(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, t := range netTargets(s) {
		if t.res.Kind != dockernet.ResolveContainers {
			continue
		}
		blocked, open := "", false
		for _, a := range t.res.Answers {
			if a.Network == nil {
				continue
			}
			if a.Network.ICCDisabled {
				blocked = a.Network.Name
			} else {
				open = true
			}
		}
		if blocked == "" || open {
			continue
		}
		origin := answerContainers(t.res.Answers)[0]
		msg := fmt.Sprintf("%s: cloudflared reaches %s only over network %s, which has inter-container communication disabled (enable_icc=false): connections are dropped.",
			ruleLabel(t), origin.Name, blocked)
		fix := fmt.Sprintf("docker network create tunnel\ndocker network connect tunnel %s\ndocker network connect tunnel %s\n"+
			"or re-create %s without -o com.docker.network.bridge.enable_icc=false (compose: remove it from driver_opts).",
			s.Docker.Cloudflared.Name, origin.Name, blocked)
		f := netFinding(c, agent.Error, s, t, msg, fix)
		f.Evidence["network"] = blocked
		f.Evidence["origin_container"] = origin.Name
		out = append(out, f)
	}
	return out
}
