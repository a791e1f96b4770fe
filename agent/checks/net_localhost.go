package checks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
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
		port := strconv.Itoa(t.svc.Port)
		v, _ := loopbackAt(s, port)
		pr, probed := probedFromCloudflared(s, t.rule.Index)
		if v.listener != nil || (probed && pr.Cause != probe.CauseRefused) {
			// A sharer declares the port (it is the origin; PRB012 says
			// if it refuses), or the probe from cloudflared's namespace
			// reached something there (or failed otherwise: PRB's call).
			continue
		}
		sev := agent.Error
		msg := fmt.Sprintf("%s: %s is cloudflared's own container (%s), not the host or another container; nothing else shares its network namespace.",
			ruleLabel(t), t.svc.Address(), s.Docker.Cloudflared.Name)
		fix := "Point the rule at the origin container's name on a network cloudflared is on, e.g.\n" +
			serviceYAML(t, serviceWithHost(t, "ORIGIN_CONTAINER", port))
		if len(v.sharers) > 0 {
			msg = fmt.Sprintf("%s: %s is cloudflared's network namespace (%s), shared with %s; none of them declares port %s",
				ruleLabel(t), t.svc.Address(), s.Docker.Cloudflared.Name, sharerList(v.sharers), port)
			if probed {
				msg += fmt.Sprintf(", and the probe from that namespace was refused: nothing listens on port %s there, so visitors get 502.", port)
			} else {
				// Undeclared ports may still listen: unknown, not a fault.
				sev = agent.Info
				msg += "; whether something listens there is unknown, as tunneldoctor did not probe from cloudflared's namespace."
				fix = "Run tunneldoctor in cloudflared's network namespace (docker run --network container:" + s.Docker.Cloudflared.Name +
					", or network_mode: \"service:cloudflared\") so it can probe the port. If nothing listens there, point the rule at the origin container:\n" +
					serviceYAML(t, serviceWithHost(t, "ORIGIN_CONTAINER", port))
			}
		}
		f := netFinding(c, sev, s, t, msg, fix)
		if len(v.sharers) > 0 {
			var names []string
			for _, sh := range v.sharers {
				names = append(names, sh.Name)
			}
			f.Evidence["namespace_shared_with"] = strings.Join(names, ", ")
		}
		if probed {
			f.Evidence["probe_error"] = pr.Error
		}
		if cand, cport := localhostCandidate(s, port); cand != nil && sev == agent.Error {
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
