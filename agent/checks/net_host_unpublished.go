package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// netHostUnpublished: cloudflared runs on the host and a rule dials a host
// port (localhost:PORT) that no container publishes.
func netHostUnpublished() agent.Check {
	c := agent.Check{
		Code:     "NET030",
		Title:    "Host port not published by any container",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "cloudflared runs on the host (not in a container), so a rule's localhost:PORT (or the host's own " +
			"address) reaches a container only through a port the container publishes on the host. No container " +
			"publishes that port: one may expose it without publishing it, or publish it on another host port; " +
			"otherwise nothing in Docker serves it, and unless a program on the host listens there cloudflared " +
			"gets connection refused (502).",
		Fix: "Publish the container's port on the host port the rule dials (compose: ports: [\"127.0.0.1:PORT:PORT\"], " +
			"docker run -p 127.0.0.1:PORT:PORT), or change the rule to the host port it is published on.",
		Needs: netNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runHostUnpublished(c, s) }
	return c
}

func runHostUnpublished(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	topo := s.Docker.Topology
	for _, ht := range hostTargets(s) {
		if !ht.onHost || len(ht.pubs) > 0 {
			continue
		}
		sev := agent.Warn // nothing published; a host program may still listen
		r, probed := hostProbe(s, ht)
		switch {
		case probed && r.Cause == probe.CauseRefused:
			sev = agent.Error
		case probed && (r.OK() || (r.Phase != probe.PhaseConnect && r.Phase != probe.PhaseDNS)):
			continue // something on the host accepts the connection: not Docker's to serve
		}
		addr := joinHostPort(ht.t.svc.Host, ht.port)
		cport := ht.port + "/tcp"
		listens := "no container publishes it"
		if probed && sev == agent.Error {
			listens = "connection refused: nothing listens there, and " + listens
		} else {
			listens = "no container publishes it; unless a program on the host listens there, cloudflared gets connection refused"
		}
		var f agent.Finding
		switch other, exposed := elsewhere(topo, ht), topo.ExposedOnly(cport); {
		case len(other) > 0:
			p := other[0]
			alt := serviceWithHost(ht.t, hostFor(ht, p.Binding.HostIP, s.Docker.HostAddrs), p.Binding.HostPort)
			msg := fmt.Sprintf("%s: cloudflared on the host dials %s, but container %s publishes its port %s on %s instead (%s).",
				ruleLabel(ht.t), addr, p.Container.Name, ht.port, joinHostPort(bindOr(p.Binding.HostIP), p.Binding.HostPort), listens)
			fix := "Point the rule at the host port it is published on:\ningress:\n" + serviceYAML(ht.t, alt) +
				"\nor publish it on " + ht.port + " instead:\n" + composePorts(p.Container, publishSpec(ht, ht.port))
			f = hostFinding(c, sev, s, ht, msg, fix)
			f.Evidence[agent.EvidenceSubject] = p.Container.Name
			f.Evidence["origin_container"] = p.Container.Name
			f.Evidence["published"] = describePublication(p)
		case len(exposed) > 0:
			e := exposed[0]
			spec := publishSpec(ht, ht.port)
			msg := fmt.Sprintf("%s: cloudflared on the host dials %s; container %s exposes port %s but does not publish it on the host (%s).",
				ruleLabel(ht.t), addr, e.Name, ht.port, listens)
			fix := "Publish the port on the host:\n" + composePorts(e, spec) + "\n" + recreateHint(e, spec)
			f = hostFinding(c, sev, s, ht, msg, fix)
			f.Evidence[agent.EvidenceSubject] = e.Name
			f.Evidence["origin_container"] = e.Name
			f.Evidence["exposed_ports"] = strings.Join(e.ExposedPorts, ", ")
		default:
			msg := fmt.Sprintf("%s: cloudflared on the host dials %s, and %s.", ruleLabel(ht.t), addr, listens)
			if probed && sev == agent.Error {
				msg = fmt.Sprintf("%s: nothing listens on %s on the host and no container publishes port %s.", ruleLabel(ht.t), addr, ht.port)
			}
			fix := unpublishedFix(s, ht, addr)
			f = hostFinding(c, sev, s, ht, msg, fix)
		}
		out = append(out, f)
	}
	return out
}

// unpublishedFix is NET030's fix when no container declares the rule's
// port: publish the port the app listens on inside its container on the
// host port the rule dials, spelled out with the rule's port on both sides
// (the usual case, and a value that works as written when the app listens
// there). The origin is named when one running container declares no port
// at all (EXPOSE, publish) and no other rule reaches: the only candidate.
func unpublishedFix(s *agent.Snapshot, ht hostTarget, addr string) string {
	spec := publishSpec(ht, ht.port)
	reached := map[string]bool{}
	for _, o := range hostRuleOrigins(s) {
		reached[o.c.ID] = true
	}
	for _, other := range hostTargets(s) {
		for _, c := range other.named {
			reached[c.ID] = true
		}
	}
	var bare []*dockernet.Container
	for _, c := range s.Docker.Topology.Containers {
		if c.Running() && !reached[c.ID] && len(c.ExposedPorts) == 0 && len(c.Published) == 0 && len(c.PortBindings) == 0 {
			bare = append(bare, c)
		}
	}
	tail := fmt.Sprintf("\n(%s is the host port the rule dials, then the port the app listens on inside its container: if that is another, "+
		"put it last, e.g. %s for an app on 80; `docker logs` of the container usually says which.)\nOr start the program that should listen on %s on the host.",
		spec, publishSpec(ht, "80"), addr)
	if len(bare) == 1 {
		c := bare[0]
		return fmt.Sprintf("Publish the port of %s (the only running container that publishes and exposes no port) on host port %s:\n", c.Name, ht.port) +
			composePorts(c, spec) + "\n" + recreateHint(c, spec) + tail
	}
	lead := fmt.Sprintf("Publish the origin container's port on host port %s", ht.port)
	if len(bare) > 1 {
		names := make([]string, 0, len(bare))
		for _, c := range bare {
			names = append(names, c.Name)
		}
		lead += " (running containers that publish and expose no port: " + strings.Join(names, ", ") + ")"
	}
	return lead + fmt.Sprintf(":\ncompose: ports: [\"%s\"]\ndocker run -p %s", spec, spec) + tail
}

// elsewhere returns the publications of the rule's port as a container port
// that the rule misses: on another host port reachable from the rule's
// address, or on the same port but bound to an address the rule does not
// dial.
func elsewhere(topo *dockernet.Topology, ht hostTarget) []dockernet.Publication {
	var out []dockernet.Publication
	for _, p := range topo.PublishedFrom(ht.port + "/tcp") {
		if p.Binding.HostPort != "" {
			out = append(out, p)
		}
	}
	return out
}

// hostFor is the host to put in a service so it reaches a binding: the
// rule's own host when the binding serves it, else the bound address.
func hostFor(ht hostTarget, bindIP string, hostAddrs []string) string {
	if dockernet.BindingServes(bindIP, ht.t.svc.Host, hostAddrs) {
		return ht.t.svc.Host
	}
	if isIPv6(bindIP) {
		return "[" + bindIP + "]"
	}
	return bindIP
}

func bindOr(ip string) string {
	if ip == "" {
		return "0.0.0.0"
	}
	return ip
}
