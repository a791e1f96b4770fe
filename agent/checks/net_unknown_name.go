package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// netUnknownName: no container answers the rule's host name anywhere.
func netUnknownName() agent.Check {
	c := agent.Check{
		Code:     "NET003",
		Title:    "No container answers to the service's host name",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "The rule's service names a host that no container answers to on any network cloudflared " +
			"shares (container names, compose service names and network aliases). Docker's DNS then asks " +
			"upstream DNS, which fails (\"no such host\") or, worse, finds something on the internet. Often " +
			"a compose service name mixed up with container_name, or a typo.",
		Fix:   "Use a name the origin container answers to on a shared network: its compose service name, container_name or a network alias.",
		Needs: netNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runUnknownName(c, s) }
	return c
}

func runUnknownName(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, t := range netTargets(s) {
		if t.res.Kind != dockernet.ResolveUpstream || len(t.res.Elsewhere) > 0 || strings.Contains(t.svc.Host, ".") {
			continue // a dotted name is probably meant for real DNS
		}
		sugg := s.Docker.Topology.Suggest(s.Docker.Cloudflared, t.svc.Host, 3)
		msg := fmt.Sprintf("%s: no container answers to %q on cloudflared's networks (%s); the lookup goes to upstream DNS.",
			ruleLabel(t), t.svc.Host, joinOr(cloudflaredNetworks(s), "none"))
		fix := "Use the name of the origin container, its compose service name, or a network alias, on a network cloudflared is on."
		var means []string
		for _, sg := range sugg {
			state := ""
			if !sg.Container.Running() {
				state = ", " + sg.Container.State
			}
			if !sg.Shared {
				state += ", on " + joinOr(sg.Container.NetworkNames(), "no network")
			}
			means = append(means, fmt.Sprintf("%s (%s of %s%s)", sg.Name, sg.Kind, sg.Container.Name, state))
		}
		if len(sugg) > 0 {
			best := sugg[0]
			msg = strings.TrimSuffix(msg, ".") + fmt.Sprintf(". Did you mean %s?", strings.Join(means, " or "))
			name := best.Name
			if best.Shared && best.Kind == "container name" {
				name = stableName(s, best.Container) // the service name outlives the container
			}
			fix = "Use the name the container answers to:\n" + serviceYAML(t, serviceWithHost(t, name, ""))
			if !best.Shared {
				if nets := best.Container.NetworkNames(); len(nets) > 0 {
					fix += "\nand put cloudflared on its network:\n" + connectFix(s, nets[0])
				}
			}
		}
		f := netFinding(c, agent.Error, s, t, msg, fix)
		if len(means) > 0 {
			f.Evidence["did_you_mean"] = strings.Join(means, "; ")
		}
		if len(s.Docker.Topology.Unknown) > 0 {
			f.Evidence["unknown"] = strings.Join(s.Docker.Topology.Unknown, "; ")
		}
		out = append(out, f)
	}
	return out
}
