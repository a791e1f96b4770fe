package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// unobserved reports whether a failed probe says nothing about what
// cloudflared gets: it ran outside cloudflared's network namespace and
// failed where namespaces differ (names, sockets, routes), or where Docker
// shows the name answering on a network cloudflared is on. Such a result is
// an unknown (info, with how to run tunneldoctor), never a warning.
func unobserved(s *agent.Snapshot, r probe.Result) bool {
	if s.Probes.Vantage == agent.VantageCloudflared || r.OK() {
		return false
	}
	switch r.Cause {
	case probe.CauseDNSNotFound, probe.CauseDNSFailure, probe.CauseUnixSocketMissing:
		return true
	}
	if r.Phase == probe.PhaseDNS || r.Phase == probe.PhaseConnect {
		return originContainer(s, r.Target.Host) != nil
	}
	return false
}

// dockerSees adds what Docker says about host from cloudflared, when it
// answers there: ", while Docker shows web answering web on shop_default".
func dockerSees(s *agent.Snapshot, host string) string {
	d := s.Docker
	if !d.Available() || d.Topology == nil || d.Cloudflared == nil || host == "" {
		return ""
	}
	for _, a := range d.Topology.Resolve(d.Cloudflared, host).Running() {
		if a.Container != nil && a.Container.ID != d.Cloudflared.ID && a.Network != nil {
			return fmt.Sprintf(", while Docker shows %q answered by container %s on %s, a network cloudflared is on", host, a.Container.Name, a.Network.Name)
		}
	}
	return ""
}

// unobservedFix says how to see what cloudflared sees.
func unobservedFix(s *agent.Snapshot) string {
	name := "cloudflared"
	if s.Docker.Cloudflared != nil {
		name = s.Docker.Cloudflared.Name
	}
	return fmt.Sprintf("Run tunneldoctor in cloudflared's network namespace so its probes see what cloudflared sees: "+
		"docker run --rm --network container:%s -v /var/run/docker.sock:/var/run/docker.sock:ro tunneldoctor check "+
		"(in compose: network_mode: \"service:cloudflared\").", name)
}
