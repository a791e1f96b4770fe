package checks

import (
	"fmt"
	"strconv"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Helpers of the host-mode checks (net_host_*.go): cloudflared is installed
// on the host (agent.Snapshot.HostMode), its origins run in Docker. From the
// host it reaches a container through a port the container publishes on
// the host's addresses, or at the container's IP on a bridge network; never
// by name (Docker's embedded DNS answers only containers).

// hostTarget is one rule of a host-mode run whose service dials a host.
type hostTarget struct {
	t    netTarget // res stays zero: nothing is resolved from a container
	port string    // the TCP port dialed
	// onHost: the service dials the host itself (loopback, one of its
	// addresses); pubs are the publications that answer there.
	onHost bool
	pubs   []dockernet.Publication
	// direct is the container whose IP the service names.
	direct *dockernet.Container
	// named are the containers the service's host names (container name,
	// alias, compose service): no DNS answers those names on the host.
	named []*dockernet.Container
}

// hostTargets lists the host-mode rules that dial a host.
func hostTargets(s *agent.Snapshot) []hostTarget {
	topo := s.Docker.Topology
	if !s.HostMode() || topo == nil || s.Ingress.Config == nil {
		return nil
	}
	var out []hostTarget
	for _, r := range s.Ingress.Config.Rules {
		svc, err := tunnelcfg.ParseService(r.Service)
		if err != nil || svc.Host == "" || svc.Port == 0 || svc.Kind == tunnelcfg.ServiceHelloWorld {
			continue
		}
		ht := hostTarget{t: netTarget{rule: r, svc: svc}, port: strconv.Itoa(svc.Port)}
		switch {
		case dockernet.IsHostAddress(svc.Host, s.Docker.HostAddrs):
			ht.onHost = true
			ht.pubs = topo.PublishedAt(svc.Host, ht.port, s.Docker.HostAddrs)
		default:
			if ht.direct = topo.ContainerAt(svc.Host); ht.direct == nil {
				ht.named = topo.Named(svc.Host)
			}
		}
		out = append(out, ht)
	}
	return out
}

// hostRuleOrigins pairs every host-mode rule with the container it reaches:
// the one publishing the port, or the one whose IP it names.
func hostRuleOrigins(s *agent.Snapshot) []originOf {
	var out []originOf
	for _, ht := range hostTargets(s) {
		for _, p := range ht.pubs {
			out = append(out, originOf{t: ht.t, c: p.Container, via: describePublication(p)})
		}
		if c := ht.direct; c != nil {
			out = append(out, originOf{t: ht.t, c: c, via: "its IP address " + ht.t.svc.Host + ", from the host"})
		}
	}
	return out
}

// describePublication says how the host reaches a container:
// "publishes 127.0.0.1:8080->80/tcp".
func describePublication(p dockernet.Publication) string {
	ip := p.Binding.HostIP
	if ip == "" {
		ip = "0.0.0.0"
	}
	text := fmt.Sprintf("publishes %s->%s", joinHostPort(ip, p.Binding.HostPort), p.Binding.ContainerPort)
	if p.Configured {
		text = "is configured to publish " + text[len("publishes "):] + " (published only while it runs)"
	}
	return text
}

// hostFinding starts a finding about one host-mode rule.
func hostFinding(c agent.Check, sev agent.Severity, s *agent.Snapshot, ht hostTarget, msg, fix string) agent.Finding {
	f := c.Finding(sev, msg)
	f.Rule, f.Hostname, f.Service, f.Fix = ht.t.rule.Index, ht.t.rule.Hostname, ht.t.rule.Service, fix
	f.Evidence = map[string]string{
		"cloudflared": "on the host (metrics server at " + s.Cloudflared.MetricsAddr + ")",
		"verdict":     "inferred from the Docker API (published ports)",
	}
	if r, ok := hostProbe(s, ht); ok {
		f.Evidence["probed_from"] = vantageText(s.Probes.Vantage)
		if r.Error != "" {
			f.Evidence["probe_error"] = r.Error
		}
	}
	return f
}

// hostProbe returns the probe of the rule, when it ran where cloudflared
// runs (the host's namespace): only then does it prove what the host has.
func hostProbe(s *agent.Snapshot, ht hostTarget) (probe.Result, bool) {
	if !s.Probes.Available() || s.Probes.Vantage != agent.VantageCloudflared {
		return probe.Result{}, false
	}
	for _, r := range s.Probes.Results {
		if r.Target.Rule == ht.t.rule.Index {
			return r, true
		}
	}
	return probe.Result{}, false
}

// publishSpec is the -p / ports: value that publishes container port cport
// on the address and port the rule dials: 127.0.0.1 for localhost (never
// the whole network for a cloudflared on the same host).
func publishSpec(ht hostTarget, cport string) string {
	ip := ht.t.svc.Host
	switch {
	case ip == "localhost" || dockernet.IsLoopbackHost(ip) && !isIPv6(ip):
		ip = "127.0.0.1"
	case isIPv6(ip):
		ip = "[" + ip + "]"
	}
	return ip + ":" + ht.port + ":" + cport
}

// composePorts is the compose snippet that publishes spec on container c.
func composePorts(c *dockernet.Container, spec string) string {
	return fmt.Sprintf("services:\n  %s:\n    ports:\n      - \"%s\"", composeName(c), spec)
}

// recreateHint is the docker run form of the same publish.
func recreateHint(c *dockernet.Container, spec string) string {
	return fmt.Sprintf("or, for a container started with docker run, re-create %s with -p %s (docker rm -f %s, then the same docker run plus -p %s)",
		c.Name, spec, c.Name, spec)
}

func joinHostPort(host, port string) string {
	if isIPv6(host) {
		return "[" + host + "]:" + port
	}
	return host + ":" + port
}

func isIPv6(host string) bool {
	for _, r := range host {
		if r == ':' {
			return true
		}
	}
	return false
}

// hostExplains names the host-mode check whose finding already says why
// the rule's probe from the host failed, and how to fix it: NET030 for a
// refused host port no container publishes, ORG001 when the containers
// publishing it (or the one whose IP the rule names) are not running,
// NET031 for a container name the host cannot resolve. "" when none does,
// or the probe did not run where cloudflared runs: those findings are
// errors because they carry this very observation, so the probe finding
// only quotes it.
func hostExplains(s *agent.Snapshot, r probe.Result) string {
	if !s.HostMode() || s.Probes.Vantage != agent.VantageCloudflared {
		return ""
	}
	for _, ht := range hostTargets(s) {
		if ht.t.rule.Index != r.Target.Rule {
			continue
		}
		switch {
		case ht.onHost && r.Cause == probe.CauseRefused:
			for _, p := range ht.pubs {
				if p.Container.Running() {
					return "" // a running publisher refuses: the app in it, PRB012's to say
				}
			}
			if len(ht.pubs) > 0 {
				return "ORG001"
			}
			return "NET030"
		case ht.direct != nil && r.Cause == probe.CauseRefused && !ht.direct.Running():
			return "ORG001"
		case len(ht.named) > 0 && (r.Cause == probe.CauseDNSNotFound || r.Cause == probe.CauseDNSFailure):
			return "NET031"
		}
		return ""
	}
	return ""
}

// hostPublisher is the running container that publishes the host port a
// host-mode rule's probe dialed.
func hostPublisher(s *agent.Snapshot, r probe.Result) (dockernet.Publication, bool) {
	for _, ht := range hostTargets(s) {
		if ht.t.rule.Index != r.Target.Rule || !ht.onHost {
			continue
		}
		for _, p := range ht.pubs {
			if p.Container.Running() {
				return p, true
			}
		}
	}
	return dockernet.Publication{}, false
}
