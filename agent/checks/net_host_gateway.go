package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// netHostGateway: host.docker.internal used on Linux without the
// host-gateway mapping.
func netHostGateway() agent.Check {
	c := agent.Check{
		Code:     "NET007",
		Title:    "host.docker.internal without host-gateway",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "On Linux Docker Engine the name host.docker.internal exists only in containers created " +
			"with extra_hosts: [\"host.docker.internal:host-gateway\"] (Docker Desktop adds it itself). " +
			"Without it cloudflared cannot resolve the name. With it, only host services listening on " +
			"the bridge gateway or 0.0.0.0 are reachable, not ports published on 127.0.0.1.",
		Fix:   "Add extra_hosts: [\"host.docker.internal:host-gateway\"] to cloudflared's service (or --add-host host.docker.internal:host-gateway).",
		Needs: netNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runHostGateway(c, s) }
	return c
}

func runHostGateway(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, t := range netTargets(s) {
		if !strings.EqualFold(strings.TrimSuffix(t.svc.Host, "."), "host.docker.internal") {
			continue
		}
		if t.res.Kind == dockernet.ResolveHostGateway || t.res.Kind == dockernet.ResolveExtraHost || t.res.Kind == dockernet.ResolveContainers {
			continue
		}
		ns := cfNamespace(s)
		if ns.Kind == dockernet.NSBroken || ns.Kind == dockernet.NSNone {
			continue
		}
		target := s.Docker.Cloudflared
		if ns.Owner != nil {
			target = ns.Owner // joiners use their donor's /etc/hosts
		}
		msg := fmt.Sprintf("%s: %s uses host.docker.internal, but %s has no host-gateway entry in extra_hosts: on Linux the name does not resolve.",
			ruleLabel(t), t.rule.Service, target.Name)
		fix := fmt.Sprintf("services:\n  %s:\n    extra_hosts:\n      - \"host.docker.internal:host-gateway\"\n"+
			"(docker run: --add-host host.docker.internal:host-gateway), then re-create %s. The host service must listen on 0.0.0.0 or the docker0 address, not 127.0.0.1.",
			composeName(target), target.Name)
		if e := s.Docker.Engine; e != nil && e.Rootless {
			fix += "\nRootless Docker also blocks container-to-host loopback: set DOCKERD_ROOTLESS_ROOTLESSKIT_DISABLE_HOST_LOOPBACK=false and \"host-gateway-ip\": \"10.0.2.2\" in daemon.json."
		}
		f := netFinding(c, agent.Error, s, t, msg, fix)
		f.Evidence["extra_hosts"] = joinOr(target.ExtraHosts, "none")
		out = append(out, f)
	}
	return out
}
