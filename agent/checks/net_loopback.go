package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// What a localhost rule reaches in cloudflared's network namespace. Shared
// by NET002 (the rule is wrong) and PRB012 (the probe was refused), so the
// two always agree on who, if anyone, listens there.

// loopbackView is cloudflared's namespace as a localhost:PORT rule sees it.
type loopbackView struct {
	// sharers are the running containers that share cloudflared's network
	// namespace (its donor, if cloudflared is a joiner, and the other
	// joiners), tunneldoctor itself left out: it is no origin.
	sharers []*dockernet.Container
	// listener is the sharer that declares the port (EXPOSE, or publishes
	// it on the donor): the origin the rule means. nil when none does.
	listener *dockernet.Container
}

// loopbackAt describes port on cloudflared's loopback; ok is false when the
// Docker facts cannot tell (no topology, cloudflared unknown).
func loopbackAt(s *agent.Snapshot, port string) (v loopbackView, ok bool) {
	d := s.Docker
	if !d.Available() || d.Topology == nil || d.Cloudflared == nil {
		return v, false
	}
	res := d.Topology.Resolve(d.Cloudflared, "localhost")
	for _, a := range otherThanUs(s, res.Running()) {
		v.sharers = append(v.sharers, a.Container)
		if v.listener == nil && declaresPort(a.Container, port) {
			v.listener = a.Container
		}
	}
	return v, true
}

// declaresPort reports whether c exposes port (TCP) or publishes it.
func declaresPort(c *dockernet.Container, port string) bool {
	for _, p := range c.ExposedPorts {
		if num, proto, _ := strings.Cut(p, "/"); num == port && (proto == "" || proto == "tcp") {
			return true
		}
	}
	for _, b := range c.Published {
		if num, _, _ := strings.Cut(b.ContainerPort, "/"); num == port {
			return true
		}
	}
	return false
}

// sharerList names the sharers and the ports they declare, for messages:
// "exporter (exposes 9100/tcp), td".
func sharerList(cs []*dockernet.Container) string {
	var out []string
	for _, c := range cs {
		var ports []string
		ports = append(ports, c.ExposedPorts...)
		for _, b := range c.Published {
			ports = append(ports, b.ContainerPort)
		}
		if len(ports) > 0 {
			out = append(out, fmt.Sprintf("%s (exposes %s)", c.Name, strings.Join(ports, ", ")))
		} else {
			out = append(out, c.Name+" (exposes no port)")
		}
	}
	return strings.Join(out, ", ")
}

// ruleProbe returns the probe result of rule, if one ran.
func ruleProbe(s *agent.Snapshot, rule int) (probe.Result, bool) {
	for _, r := range s.Probes.Results {
		if r.Target.Rule == rule {
			return r, true
		}
	}
	return probe.Result{}, false
}

// probedFromCloudflared returns the rule's probe when it ran from
// cloudflared's own network namespace: what cloudflared sees, observed.
func probedFromCloudflared(s *agent.Snapshot, rule int) (probe.Result, bool) {
	if !s.Probes.Available() || s.Probes.Vantage != agent.VantageCloudflared {
		return probe.Result{}, false
	}
	return ruleProbe(s, rule)
}
