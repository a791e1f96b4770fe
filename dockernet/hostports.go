package dockernet

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/moby/moby/api/types/network"
)

// What the host itself reaches: a cloudflared installed on the host (not in
// a container) dials containers through the ports they publish on the
// host's addresses, or directly at their IP on a bridge network. Docker's
// embedded DNS serves only containers, so container names do not resolve
// there.

// Publication is one container port published on the host.
type Publication struct {
	Container *Container
	Binding   PortBinding
	// Configured is true when the binding comes from the container's
	// create-time HostConfig.PortBindings because it is not running: Docker
	// publishes it again when the container starts.
	Configured bool
}

// Publications lists every published port: the live bindings of running
// containers, the configured ones of the others (inspected containers
// only), each (container, container port, host port) once.
func (t *Topology) Publications() []Publication {
	var out []Publication
	for _, c := range t.Containers {
		bindings, configured := c.Published, false
		if len(bindings) == 0 && !c.Running() {
			bindings, configured = c.PortBindings, true
		}
		seen := map[string]bool{}
		for _, b := range bindings {
			key := b.ContainerPort + " " + b.HostIP + " " + b.HostPort
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, Publication{Container: c, Binding: b, Configured: configured})
		}
	}
	return out
}

// PublishedAt returns the publications that answer a TCP connection from the
// host to host:port: port is the host port, host a loopback name or address
// or one of the host's own addresses (hostAddrs).
func (t *Topology) PublishedAt(host, port string, hostAddrs []string) []Publication {
	var out []Publication
	for _, p := range t.Publications() {
		if p.Binding.HostPort == port && isTCP(p.Binding.ContainerPort) && BindingServes(p.Binding.HostIP, host, hostAddrs) {
			out = append(out, p)
		}
	}
	return dedupeContainers(out)
}

// PublishedFrom returns the publications of a container port ("8080/tcp"),
// on whatever host port.
func (t *Topology) PublishedFrom(containerPort string) []Publication {
	var out []Publication
	for _, p := range t.Publications() {
		if p.Binding.ContainerPort == containerPort {
			out = append(out, p)
		}
	}
	return out
}

// ExposedOnly returns the containers that expose a container port
// ("8080/tcp") without publishing it on the host.
func (t *Topology) ExposedOnly(containerPort string) []*Container {
	published := map[string]bool{}
	for _, p := range t.PublishedFrom(containerPort) {
		published[p.Container.ID] = true
	}
	var out []*Container
	for _, c := range t.Containers {
		if published[c.ID] {
			continue
		}
		for _, e := range c.ExposedPorts {
			if e == containerPort {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// ContainerAt returns the container with this IP address on one of its
// networks, nil when none has it.
func (t *Topology) ContainerAt(ip string) *Container {
	a, err := netip.ParseAddr(normalizeHost(ip))
	if err != nil {
		return nil
	}
	s := a.Unmap().String()
	for _, c := range t.Containers {
		for _, e := range c.Endpoints {
			if e.IPv4 == s || e.IPv6 == s {
				return c
			}
		}
	}
	return nil
}

// Named returns the containers a container name, network alias, compose
// service name or short ID names, on any network: the names Docker's
// embedded DNS answers for other containers, never for the host.
func (t *Topology) Named(name string) []*Container {
	h := normalizeHost(name)
	var out []*Container
	for _, c := range t.Containers {
		match := strings.EqualFold(c.Name, h)
		for _, e := range c.Endpoints {
			if _, ok := answersTo(c, e, h); ok {
				match = true
			}
		}
		if match {
			out = append(out, c)
		}
	}
	return out
}

// BindingServes reports whether a port published on bindIP ("" and
// 0.0.0.0 or :: for every address) answers a connection from the host to
// host: "localhost" is 127.0.0.1 and ::1; hostAddrs are the host's own
// addresses.
func BindingServes(bindIP, host string, hostAddrs []string) bool {
	h := normalizeHost(host)
	b, err := netip.ParseAddr(bindIP)
	if bindIP == "" || (err == nil && b.IsUnspecified()) {
		return IsLoopbackHost(h) || isHostAddr(h, hostAddrs)
	}
	if err != nil {
		return false
	}
	b = b.Unmap()
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return b.IsLoopback() && (b.Is6() || b == netip.AddrFrom4([4]byte{127, 0, 0, 1}))
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.Unmap() == b
}

// IsHostAddress reports whether host is the host itself as the host sees
// it: loopback, or one of its own addresses.
func IsHostAddress(host string, hostAddrs []string) bool {
	h := normalizeHost(host)
	return IsLoopbackHost(h) || isHostAddr(h, hostAddrs)
}

func isHostAddr(h string, hostAddrs []string) bool {
	a, err := netip.ParseAddr(h)
	if err != nil {
		return false
	}
	if a.Unmap().IsUnspecified() {
		return true // dialing 0.0.0.0 or :: reaches the local host
	}
	for _, s := range hostAddrs {
		if b, err := netip.ParseAddr(normalizeHost(s)); err == nil && b.Unmap() == a.Unmap() {
			return true
		}
	}
	return false
}

func isTCP(containerPort string) bool {
	_, proto, ok := strings.Cut(containerPort, "/")
	return !ok || proto == "tcp"
}

// dedupeContainers keeps one publication per container (0.0.0.0 and ::
// bindings of one port are one publication).
func dedupeContainers(ps []Publication) []Publication {
	seen := map[string]bool{}
	var out []Publication
	for _, p := range ps {
		if !seen[p.Container.ID] {
			seen[p.Container.ID] = true
			out = append(out, p)
		}
	}
	return out
}

// portBindings converts HostConfig.PortBindings, sorted by container port.
func portBindings(m network.PortMap) []PortBinding {
	var out []PortBinding
	for p, bindings := range m {
		for _, b := range bindings {
			out = append(out, PortBinding{ContainerPort: p.String(), HostIP: addrString(b.HostIP.String()), HostPort: b.HostPort})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ContainerPort < out[j].ContainerPort })
	return out
}
