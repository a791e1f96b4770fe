package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// netDefaultBridge: cloudflared is only on Docker's default bridge, which
// has no name resolution between containers.
func netDefaultBridge() agent.Check {
	c := agent.Check{
		Code:     "NET004",
		Title:    "cloudflared is only on the default bridge network",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "Docker's default \"bridge\" network (what `docker run` uses without --network) has no " +
			"DNS for container names: from there cloudflared can reach other containers only by IP " +
			"address, which changes on every re-create.",
		Fix:   "Create a user-defined network, connect cloudflared and the origins to it, and use container names in the rules.",
		Needs: netNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runDefaultBridge(c, s) }
	return c
}

func runDefaultBridge(c agent.Check, s *agent.Snapshot) []agent.Finding {
	ns := cfNamespace(s)
	if ns.Kind != dockernet.NSNetworks {
		return nil
	}
	for _, n := range s.Docker.Topology.NamespaceNetworks(ns) {
		if !n.IsDefaultBridge() {
			return nil
		}
	}
	var rules []string
	var first *netTarget
	for _, t := range netTargets(s) {
		if t.res.Kind == dockernet.ResolveNoContainerDNS && !strings.Contains(t.svc.Host, ".") {
			rules = append(rules, fmt.Sprintf("#%d %s", t.rule.Index, t.svc.Host))
			if first == nil {
				first = &t
			}
		}
	}
	cf := s.Docker.Cloudflared
	sev := agent.Warn
	msg := fmt.Sprintf("cloudflared %s is only on the default bridge network, where container names do not resolve.", cf.Name)
	if len(rules) > 0 {
		sev = agent.Error
		msg = fmt.Sprintf("cloudflared %s is only on the default bridge network, where container names do not resolve; rules %s name containers.",
			cf.Name, strings.Join(rules, ", "))
	}
	fix := fmt.Sprintf("docker network create tunnel\ndocker network connect tunnel %s\ndocker network connect tunnel ORIGIN_CONTAINER\n"+
		"or in compose, put both services on one network (compose creates <project>_default for services of one file):\n"+
		"services:\n  %s:\n    networks: [tunnel]\n  ORIGIN_SERVICE:\n    networks: [tunnel]\nnetworks:\n  tunnel: {}", cf.Name, composeName(cf))
	f := c.Finding(sev, msg)
	f.Fix = fix
	f.Evidence = map[string]string{"cloudflared": cf.Name, "cloudflared_networks": joinOr(cloudflaredNetworks(s), "none"), "verdict": verdictBasis(s)}
	if first != nil {
		f.Evidence["rules"] = strings.Join(rules, ", ")
	}
	return []agent.Finding{f}
}
