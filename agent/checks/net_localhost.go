package checks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// netLocalhost: the classic "localhost in a container" mistake.
func netLocalhost() agent.Check {
	c := agent.Check{
		Code:     "NET002",
		Title:    "Service points at localhost inside cloudflared's container",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "In a container, localhost (127.0.0.1, ::1) is the container itself. Unless cloudflared " +
			"runs with network_mode: host or the origin shares cloudflared's network namespace, a rule " +
			"pointing at localhost reaches nothing: \"connection refused\" and 502.",
		Fix:   "Point the rule at the origin container's name on a network cloudflared shares, e.g. service: http://web:8080.",
		Needs: netNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runLocalhost(c, s) }
	return c
}

func runLocalhost(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, t := range netTargets(s) {
		if t.res.Kind != dockernet.ResolveLoopback || t.res.Namespace.Kind != dockernet.NSNetworks {
			continue
		}
		if len(otherThanUs(s, t.res.Answers)) > 0 {
			continue // other containers share cloudflared's stack: localhost may be one of them
		}
		port := strconv.Itoa(t.svc.Port)
		msg := fmt.Sprintf("%s: %s is cloudflared's own container (%s), not the host or another container; nothing else shares its network namespace.",
			ruleLabel(t), t.svc.Address(), s.Docker.Cloudflared.Name)
		fix := "Point the rule at the origin container's name on a network cloudflared is on, e.g.\n" +
			serviceYAML(t, serviceWithHost(t, "ORIGIN_CONTAINER", port))
		f := netFinding(c, agent.Error, s, t, msg, fix)
		if cand, cport := localhostCandidate(s, port); cand != nil {
			f.Message = strings.TrimSuffix(msg, ".") + fmt.Sprintf("; container %s on a shared network %s port %s.",
				dockernet.Describe(cand), portVerb(cand, port), port)
			f.Fix = "Point the rule at the container instead of localhost:\n" +
				serviceYAML(t, serviceWithHost(t, composeName(cand), cport))
			f.Evidence["origin_container"] = cand.Name
		}
		out = append(out, f)
	}
	return out
}

// localhostCandidate finds the container the user probably meant: one on a
// network cloudflared shares that exposes the port, or publishes it on the
// host (the user tested http://localhost:PORT from the host). It returns
// the container and the port to use inside the network.
func localhostCandidate(s *agent.Snapshot, port string) (*dockernet.Container, string) {
	topo, cf := s.Docker.Topology, s.Docker.Cloudflared
	for _, n := range topo.NamespaceNetworks(cfNamespace(s)) {
		if n.IsDefaultBridge() {
			continue
		}
		for _, m := range topo.Members(n) {
			if m.ID == cf.ID || !m.Running() {
				continue
			}
			for _, p := range m.Published {
				if p.HostPort == port {
					num, _, _ := strings.Cut(p.ContainerPort, "/")
					return m, num
				}
			}
			for _, p := range m.ExposedPorts {
				if num, _, _ := strings.Cut(p, "/"); num == port {
					return m, port
				}
			}
		}
	}
	return nil, ""
}

func portVerb(c *dockernet.Container, port string) string {
	for _, p := range c.Published {
		if p.HostPort == port {
			return "publishes on the host"
		}
	}
	return "exposes"
}

// otherThanUs drops tunneldoctor itself from the containers sharing
// cloudflared's namespace: it is no origin.
func otherThanUs(s *agent.Snapshot, as []dockernet.Answer) []dockernet.Answer {
	var out []dockernet.Answer
	for _, a := range as {
		if self := s.Docker.Self; self != nil && a.Container.ID == self.ID {
			continue
		}
		if strings.Contains(strings.ToLower(a.Container.Image), "tunneldoctor") {
			continue
		}
		out = append(out, a)
	}
	return out
}
