package dockernet

import (
	"fmt"
	"strings"
)

// NamespaceKind says what network stack a container uses.
type NamespaceKind string

const (
	// NSNetworks: its own stack, attached to Docker networks (bridge or
	// user-defined).
	NSNetworks NamespaceKind = "networks"
	// NSHost: the host's stack (network_mode: host).
	NSHost NamespaceKind = "host"
	// NSNone: no network at all (network_mode: none).
	NSNone NamespaceKind = "none"
	// NSBroken: a container:<id> chain that ends at a missing or stopped
	// donor, or loops.
	NSBroken NamespaceKind = "broken"
)

// Namespace is the network stack a container really uses, after following
// container:<id> modes to the donor (rule 1 of the reachability rules).
type Namespace struct {
	Kind NamespaceKind `json:"kind"`
	// Owner is the container whose stack it is: the container itself, or
	// the donor at the end of its container: chain. nil when the donor is
	// missing.
	Owner *Container `json:"-"`
	// Chain lists the containers followed, starting with the one asked about.
	Chain []*Container `json:"-"`
	// Problem says why a chain is broken.
	Problem string `json:"problem,omitempty"`
	// Stale is true when the donor started after the joiner: the joiner
	// probably still holds the donor's previous, dead namespace.
	Stale bool `json:"stale,omitempty"`
}

// donorRef returns the donor of a container:<ref> network mode.
func donorRef(mode string) (string, bool) {
	return strings.CutPrefix(mode, "container:")
}

// Namespace follows c's network mode to the stack it uses.
func (t *Topology) Namespace(c *Container) Namespace {
	ns := Namespace{Chain: []*Container{c}}
	cur := c
	for {
		ref, joined := donorRef(cur.NetworkMode)
		if !joined {
			break
		}
		donor := t.Container(ref)
		switch {
		case donor == nil:
			ns.Kind = NSBroken
			ns.Problem = fmt.Sprintf("%s shares the network namespace of container %s, which no longer exists", cur.Name, ShortID(ref))
			return ns
		case len(ns.Chain) > 16 || donor == c:
			ns.Kind = NSBroken
			ns.Problem = "container: network modes form a loop through " + c.Name
			return ns
		}
		if !cur.StartedAt.IsZero() && donor.StartedAt.After(cur.StartedAt) && cur.Running() {
			ns.Stale = true
		}
		ns.Chain = append(ns.Chain, donor)
		cur = donor
	}
	ns.Owner = cur
	switch {
	case cur != c && !cur.Running():
		ns.Kind = NSBroken
		ns.Problem = fmt.Sprintf("%s shares the network namespace of %s, which is %s", c.Name, cur.Name, cur.State)
	case cur.NetworkMode == "host":
		ns.Kind = NSHost
	case cur.NetworkMode == "none":
		ns.Kind = NSNone
	default:
		ns.Kind = NSNetworks
	}
	return ns
}

// SameNamespace reports whether a and b use one network stack (one shares
// the other's, or both use the host's), so that localhost in one is the
// other.
func (t *Topology) SameNamespace(a, b *Container) bool {
	if a == nil || b == nil {
		return false
	}
	na, nb := t.Namespace(a), t.Namespace(b)
	if na.Kind == NSHost && nb.Kind == NSHost {
		return true // both on the host's stack
	}
	return na.Owner != nil && na.Owner == nb.Owner && na.Kind != NSBroken && nb.Kind != NSBroken
}

// Sharing returns the other containers that use owner's stack (joiners of
// owner, directly or through a chain).
func (t *Topology) Sharing(owner *Container) []*Container {
	var out []*Container
	for _, c := range t.Containers {
		if c == owner {
			continue
		}
		if ns := t.Namespace(c); ns.Owner == owner && ns.Kind != NSBroken {
			out = append(out, c)
		}
	}
	return out
}

// NamespaceNetworks returns the networks a namespace is attached to (none
// for host, none and broken namespaces).
func (t *Topology) NamespaceNetworks(ns Namespace) []*Network {
	if ns.Kind != NSNetworks || ns.Owner == nil {
		return nil
	}
	var out []*Network
	for _, e := range ns.Owner.Endpoints {
		if n := t.netByID[e.NetworkID]; n != nil {
			out = append(out, n)
		}
	}
	return out
}

// SharedNetworks returns the networks both containers' namespaces are
// attached to (by network ID).
func (t *Topology) SharedNetworks(a, b *Container) []*Network {
	on := map[string]bool{}
	for _, n := range t.NamespaceNetworks(t.Namespace(a)) {
		on[n.ID] = true
	}
	var out []*Network
	for _, n := range t.NamespaceNetworks(t.Namespace(b)) {
		if on[n.ID] {
			out = append(out, n)
		}
	}
	return out
}
