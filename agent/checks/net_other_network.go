package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// netOtherNetwork: the origin container exists, but only on networks
// cloudflared is not on, so its name does not resolve from cloudflared.
func netOtherNetwork() agent.Check {
	c := agent.Check{
		Code:     "NET001",
		Title:    "Origin is on a network cloudflared is not on",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "Docker's DNS answers a container's name only to containers on a network they share. " +
			"The rule's origin container is on other networks than cloudflared, so cloudflared cannot " +
			"resolve or reach it: \"no such host\" in cloudflared's log and 502 for visitors.",
		Fix:   "Connect cloudflared to the origin's network (docker network connect NET cloudflared), and add the network to cloudflared's compose service (as an external network when another project owns it), or --network NET to the docker run that creates it, so a re-created container keeps it.",
		Needs: netNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runOtherNetwork(c, s) }
	return c
}

func runOtherNetwork(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, t := range netTargets(s) {
		if t.res.Kind == dockernet.ResolveContainers || len(t.res.Elsewhere) == 0 {
			continue
		}
		if t.res.Kind != dockernet.ResolveUpstream && t.res.Kind != dockernet.ResolveNoContainerDNS && t.res.Kind != dockernet.ResolveIP {
			continue
		}
		origins := answerContainers(t.res.Elsewhere)
		var nets []string
		seen := map[string]bool{}
		for _, a := range t.res.Elsewhere {
			if a.Network != nil && !seen[a.Network.Name] {
				seen[a.Network.Name] = true
				nets = append(nets, a.Network.Name)
			}
		}
		if len(nets) == 0 {
			continue
		}
		names := make([]string, 0, len(origins))
		for _, o := range origins {
			names = append(names, dockernet.Describe(o))
		}
		var msg, fix string
		if cfNamespace(s).Kind == dockernet.NSHost {
			msg = fmt.Sprintf("%s: %s on network %s, but cloudflared %s uses the host network, where container names do not resolve.",
				ruleLabel(t), whoAnswers(t.svc.Host, names), joinOr(nets, ""), s.Docker.Cloudflared.Name)
			fix = "Publish the origin's port on the host and point the rule at it, e.g.\n" +
				serviceYAML(t, serviceWithHost(t, "localhost", "")) +
				"\nor run cloudflared on the origin's network instead of network_mode: host."
		} else {
			msg = fmt.Sprintf("%s: %s on network %s, but cloudflared %s is only on %s: the name does not resolve from cloudflared.",
				ruleLabel(t), whoAnswers(t.svc.Host, names), joinOr(nets, ""), s.Docker.Cloudflared.Name, joinOr(cloudflaredNetworks(s), "no network"))
			fix = connectFix(s, nets[0])
		}
		f := netFinding(c, agent.Error, s, t, msg, fix)
		f.Evidence["origin_container"] = strings.Join(names, ", ")
		f.Evidence["origin_networks"] = joinOr(nets, "")
		f.Evidence[agent.EvidenceSubject] = t.svc.Host
		out = append(out, f)
	}
	return out
}

// whoAnswers says which containers a host name is: "container web" when
// the name is the container's, else "api is container shop-api-1".
func whoAnswers(host string, names []string) string {
	if len(names) == 1 && names[0] == host {
		return "container " + host + " is"
	}
	return fmt.Sprintf("%s is container %s", host, strings.Join(names, ", "))
}
