package dockernet

import (
	"net/netip"
	"strings"
)

// ResolveKind is what a name used in an ingress service means from a
// container's network namespace.
type ResolveKind string

const (
	// ResolveContainers: containers on a shared user-defined network answer
	// the name (Answers; more than one running means round robin).
	ResolveContainers ResolveKind = "containers"
	// ResolveLoopback: localhost/127.0.0.0/8/::1, the namespace itself.
	ResolveLoopback ResolveKind = "loopback"
	// ResolveHostGateway: an extra_hosts entry maps the name to host-gateway.
	ResolveHostGateway ResolveKind = "host-gateway"
	// ResolveExtraHost: an extra_hosts entry maps the name to an address.
	ResolveExtraHost ResolveKind = "extra-host"
	// ResolveIP: an IP literal that is no container's on a shared network.
	ResolveIP ResolveKind = "ip"
	// ResolveUpstream: Docker's DNS knows no such name on the namespace's
	// networks, so the query goes to upstream DNS.
	ResolveUpstream ResolveKind = "upstream"
	// ResolveNoContainerDNS: the namespace has no embedded DNS for container
	// names (host mode, or only the default bridge).
	ResolveNoContainerDNS ResolveKind = "no-container-dns"
	// ResolveUnknown: the namespace is broken or has no network.
	ResolveUnknown ResolveKind = "unknown"
)

// Answer is one container that a name reaches, and on which network.
type Answer struct {
	Container *Container
	Network   *Network // nil for loopback (same namespace)
	Via       string   // what matched: "name", "alias", "dns-name", "service", "short-id", "hostname", "ip", "namespace"
}

// Resolution is the verdict on one host name from one namespace. It is an
// inference from the API, not a DNS lookup.
type Resolution struct {
	Host      string
	Kind      ResolveKind
	Namespace Namespace
	// Answers reach the name from the namespace.
	Answers []Answer
	// Elsewhere are containers that would answer the name, but only on
	// networks the namespace is not attached to.
	Elsewhere []Answer
	// Target is the address an extra_hosts entry maps the name to.
	Target string
	Reason string
}

// Running returns the answering containers that are running: the ones the
// embedded DNS really returns.
func (r Resolution) Running() []Answer {
	var out []Answer
	seen := map[string]bool{}
	for _, a := range r.Answers {
		if a.Container.Running() && !seen[a.Container.ID] {
			seen[a.Container.ID] = true
			out = append(out, a)
		}
	}
	return out
}

// IsLoopbackHost reports whether host means the local stack.
func IsLoopbackHost(host string) bool {
	h := normalizeHost(host)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.Unmap().IsLoopback()
}

func normalizeHost(host string) string {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
}

// Resolve says what host means from the namespace of from (rules 1 to 5 of
// the reachability rules: namespaces first, loopback, names only on shared
// user-defined networks, extra_hosts and host-gateway).
func (t *Topology) Resolve(from *Container, host string) Resolution {
	h := normalizeHost(host)
	ns := t.Namespace(from)
	r := Resolution{Host: host, Namespace: ns}
	switch ns.Kind {
	case NSBroken:
		r.Kind, r.Reason = ResolveUnknown, ns.Problem
		return r
	case NSNone:
		r.Kind, r.Reason = ResolveUnknown, from.Name+" has network_mode none: it reaches nothing"
		return r
	}
	if IsLoopbackHost(h) {
		r.Kind = ResolveLoopback
		if ns.Owner != from {
			r.Answers = append(r.Answers, Answer{Container: ns.Owner, Via: "namespace"})
		}
		for _, c := range t.Sharing(ns.Owner) {
			if c != from {
				r.Answers = append(r.Answers, Answer{Container: c, Via: "namespace"})
			}
		}
		return r
	}
	if h == "host.docker.internal" && t.Desktop && ns.Kind != NSHost {
		r.Kind, r.Target = ResolveHostGateway, "host-gateway"
		r.Reason = "Docker Desktop resolves host.docker.internal in every container"
		return r
	}
	if target, ok := extraHost(ns.Owner.ExtraHosts, h); ok {
		r.Target = target
		if target == "host-gateway" {
			r.Kind = ResolveHostGateway
			return r
		}
		r.Kind = ResolveExtraHost
		h = normalizeHost(target)
	}
	if ip, err := netip.ParseAddr(h); err == nil {
		r.Answers, r.Elsewhere = t.byIP(ns, ip.Unmap().String())
		if r.Kind == "" {
			r.Kind = ResolveIP
			if len(r.Answers) > 0 {
				r.Kind = ResolveContainers
			}
		}
		return r
	}
	if r.Kind == ResolveExtraHost {
		return r
	}
	shared := map[string]bool{}
	userDefined := false
	for _, n := range t.NamespaceNetworks(ns) {
		shared[n.ID] = true
		if !n.IsDefaultBridge() {
			userDefined = true
		}
	}
	for _, c := range t.Containers {
		for _, e := range c.Endpoints {
			via, ok := answersTo(c, e, h)
			if !ok {
				continue
			}
			n := t.netByID[e.NetworkID]
			a := Answer{Container: c, Network: n, Via: via}
			if shared[e.NetworkID] && ns.Kind == NSNetworks && !n.IsDefaultBridge() {
				r.Answers = append(r.Answers, a)
			} else if n == nil || !n.IsDefaultBridge() {
				r.Elsewhere = append(r.Elsewhere, a)
			}
		}
	}
	switch {
	case len(r.Answers) > 0:
		r.Kind = ResolveContainers
	case ns.Kind == NSHost:
		r.Kind, r.Reason = ResolveNoContainerDNS, "host network mode uses the host's resolver: container names do not resolve"
	case !userDefined:
		r.Kind, r.Reason = ResolveNoContainerDNS, "only on the default bridge network, which has no container name resolution"
	default:
		r.Kind, r.Reason = ResolveUpstream, "no container on a shared network answers to this name; the query goes to upstream DNS"
	}
	return r
}

// byIP finds containers with this address, split by whether ns shares
// their network.
func (t *Topology) byIP(ns Namespace, ip string) (shared, elsewhere []Answer) {
	on := map[string]bool{}
	for _, n := range t.NamespaceNetworks(ns) {
		on[n.ID] = true
	}
	for _, c := range t.Containers {
		for _, e := range c.Endpoints {
			if e.IPv4 != ip && e.IPv6 != ip {
				continue
			}
			a := Answer{Container: c, Network: t.netByID[e.NetworkID], Via: "ip"}
			if on[e.NetworkID] {
				shared = append(shared, a)
			} else {
				elsewhere = append(elsewhere, a)
			}
		}
	}
	return shared, elsewhere
}

// answersTo reports whether the embedded DNS answers name for c on endpoint
// e. DNSNames is exact when the engine reports it (API >= 1.44); otherwise
// the names Docker registers are rebuilt: container name, aliases, short ID
// and hostname, plus the compose service name (compose always adds it as
// an alias, and older engines list aliases only in inspect data).
func answersTo(c *Container, e Endpoint, name string) (string, bool) {
	if len(e.DNSNames) > 0 {
		for _, n := range e.DNSNames {
			if strings.EqualFold(n, name) {
				return "dns-name", true
			}
		}
		return "", false
	}
	switch {
	case strings.EqualFold(c.Name, name):
		return "name", true
	case name == ShortID(c.ID):
		return "short-id", true
	case c.Hostname != "" && strings.EqualFold(c.Hostname, name):
		return "hostname", true
	case c.Service != "" && strings.EqualFold(c.Service, name):
		return "service", true
	}
	for _, a := range e.Aliases {
		if strings.EqualFold(a, name) {
			return "alias", true
		}
	}
	return "", false
}

// extraHost finds name in extra_hosts entries ("name:addr" or "name=addr").
func extraHost(entries []string, name string) (string, bool) {
	for _, e := range entries {
		i := strings.IndexAny(e, ":=")
		if i < 0 {
			continue
		}
		if strings.EqualFold(e[:i], name) {
			return e[i+1:], true
		}
	}
	return "", false
}
