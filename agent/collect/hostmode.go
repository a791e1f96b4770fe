package collect

import (
	"context"
	"net"
	"net/netip"
	"strconv"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockerapi"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Host mode: cloudflared installed on the host (systemd, metrics on
// 127.0.0.1:20241) with its origins in Docker behind published ports. No
// cloudflared container was identified, yet a cloudflared metrics server
// answered (agent.Snapshot.HostMode).

// collectHostMode runs after the cloudflared collector. In host mode the
// Docker topology is a fact like any other: discovery's "cloudflared
// container not identified" is lifted (the checks that start from
// cloudflared's container find none and say nothing; the host-mode checks
// take over), and the host's own addresses are read when tunneldoctor sees
// the host's network namespace, so rules dialing them are matched to the
// ports containers publish there.
func collectHostMode(s *agent.Snapshot) {
	if !s.HostMode() || s.Docker.Failure != "" {
		return
	}
	s.Docker.Missing = ""
	if hostVantage(s) == agent.VantageCloudflared {
		s.Docker.HostAddrs = interfaceAddrs()
	}
}

// hostVantage decides whether probes from here see what a cloudflared on
// the host sees. Loopback is private to a network namespace, so a metrics
// server that answered on a loopback address runs in ours: tunneldoctor is
// on the host too (or in a container with network_mode: host), and its
// probes see exactly what cloudflared sees. Reached at another address
// (--metrics 192.168.1.5:20241), cloudflared may be on this host or not:
// when tunneldoctor runs in a container with a network namespace of its own,
// its localhost is not the host's (ports published on 127.0.0.1 are out of
// its reach), so the vantage is its own; anywhere else it is unknown.
func hostVantage(s *agent.Snapshot) string {
	host, _, err := net.SplitHostPort(s.Cloudflared.MetricsAddr)
	if err == nil && dockernet.IsLoopbackHost(host) {
		return agent.VantageCloudflared
	}
	if self := s.Docker.Self; self != nil && self.NetworkMode != "host" {
		return agent.VantageOwn
	}
	return agent.VantageUnknown
}

// interfaceAddrs lists this network namespace's own addresses (loopback
// excluded: it is matched by name).
func interfaceAddrs() []string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range addrs {
		p, err := netip.ParsePrefix(a.String())
		if err != nil || p.Addr().IsLoopback() || p.Addr().IsLinkLocalUnicast() {
			continue
		}
		out = append(out, p.Addr().String())
	}
	return out
}

// hostOriginTargets lists the containers the rules reach from the host: the
// one publishing the host port a rule dials on the host's addresses, or the
// one whose IP the rule names. A rule no running container publishes for
// may be served by a stopped one (its configured port bindings) or point at
// a container that exposes the port without publishing it: both are known
// only from inspect data, so then every container is inspected, once (one
// call per container, bounded concurrency; only when some rule needs it).
func hostOriginTargets(ctx context.Context, topo *dockernet.Topology, cli *dockerapi.Client, cfg *tunnelcfg.Config, hostAddrs []string) []string {
	pass := func() (ids []string, unmatched bool) {
		seen := map[string]bool{}
		add := func(c *dockernet.Container) {
			if !seen[c.ID] {
				seen[c.ID] = true
				ids = append(ids, c.ID)
			}
		}
		for _, r := range cfg.Rules {
			svc, err := tunnelcfg.ParseService(r.Service)
			if err != nil || svc.Host == "" || svc.Port == 0 || svc.Kind == tunnelcfg.ServiceHelloWorld {
				continue
			}
			if dockernet.IsHostAddress(svc.Host, hostAddrs) {
				pubs := topo.PublishedAt(svc.Host, strconv.Itoa(svc.Port), hostAddrs)
				unmatched = unmatched || len(pubs) == 0
				for _, p := range pubs {
					add(p.Container)
				}
			} else if c := topo.ContainerAt(svc.Host); c != nil {
				add(c)
			}
		}
		return ids, unmatched
	}
	ids, unmatched := pass()
	if unmatched {
		all := make([]string, 0, len(topo.Containers))
		for _, c := range topo.Containers {
			all = append(all, c.ID)
		}
		topo.Inspect(ctx, cli, all...)
		ids, _ = pass()
	}
	return ids
}
