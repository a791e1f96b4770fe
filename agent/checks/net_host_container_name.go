package checks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// netHostContainerName: cloudflared runs on the host and a rule dials a
// container by name, which only containers can resolve.
func netHostContainerName() agent.Check {
	c := agent.Check{
		Code:     "NET031",
		Title:    "Container name used by a cloudflared on the host",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "cloudflared runs on the host (not in a container), and the rule names a container (http://web:8080). " +
			"Container names, network aliases and compose service names are answered by Docker's embedded DNS, " +
			"which serves only containers: on the host the name does not resolve, and cloudflared fails the " +
			"request (502).",
		Fix:   "Publish the container's port on the host (compose: ports: [\"127.0.0.1:PORT:PORT\"]) and use service: http://localhost:PORT.",
		Needs: netNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runHostContainerName(c, s) }
	return c
}

func runHostContainerName(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, ht := range hostTargets(s) {
		if len(ht.named) == 0 {
			continue
		}
		if r, ok := hostProbe(s, ht); ok && r.DNS != nil && len(r.DNS.Addresses) > 0 {
			continue // the host resolves it after all (/etc/hosts, a local DNS)
		}
		target := ht.named[0]
		for _, n := range ht.named {
			if n.Running() {
				target = n
				break
			}
		}
		msg := fmt.Sprintf("%s: cloudflared runs on the host, where %s does not resolve: Docker's embedded DNS answers container names only to containers.",
			ruleLabel(ht.t), ht.t.svc.Host)
		if !strings.EqualFold(target.Name, ht.t.svc.Host) {
			msg = msg[:len(msg)-1] + fmt.Sprintf(" (%s names container %s).", ht.t.svc.Host, target.Name)
		}
		var fix string
		if p, ok := loopbackPublication(s, target, ht.port); ok {
			svc := serviceWithHost(ht.t, "localhost", p.Binding.HostPort)
			msg += fmt.Sprintf(" It %s.", describePublication(p))
			fix = "Use the port it publishes on the host:\ningress:\n" + serviceYAML(ht.t, svc)
		} else {
			local := ht
			local.t.svc.Host = "localhost"
			spec := publishSpec(local, ht.port)
			fix = "Publish the port on the host:\n" + composePorts(target, spec) + "\n" + recreateHint(target, spec) +
				"\nand dial it there:\ningress:\n" + serviceYAML(ht.t, serviceWithHost(ht.t, "localhost", ht.port))
		}
		f := hostFinding(c, agent.Error, s, ht, msg, fix)
		f.Evidence[agent.EvidenceSubject] = target.Name
		f.Evidence["origin_container"] = target.Name
		out = append(out, f)
	}
	return out
}

// loopbackPublication finds where c publishes container port cport on the
// host's loopback.
func loopbackPublication(s *agent.Snapshot, c *dockernet.Container, cport string) (dockernet.Publication, bool) {
	if _, err := strconv.Atoi(cport); err != nil {
		return dockernet.Publication{}, false
	}
	for _, p := range s.Docker.Topology.PublishedFrom(cport + "/tcp") {
		if p.Container == c && p.Binding.HostPort != "" && dockernet.BindingServes(p.Binding.HostIP, "127.0.0.1", nil) {
			return p, true
		}
	}
	return dockernet.Publication{}, false
}
