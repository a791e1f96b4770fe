package dockernet

import "net/netip"

// Engines before API 1.44 (and Podman before 2026-07) list no DNSNames and
// list endpoint aliases as null: a name that is only a network alias is
// invisible until its container is inspected. Inspect data keeps the
// aliases of a stopped container too (with no endpoint ID and no address),
// so inspecting the members of a namespace's networks finds the container
// that answers a name there, running or not.

// NeedsAliases reports whether the list data may be hiding the container
// that answers r's name on the namespace's networks: no running container
// is known to answer it there. A running answer is what the embedded DNS
// returns, so once one is known no other alias changes the verdict; without
// one, an alias (of a running container, or of a stopped one, which is then
// THE answer, just not running) decides between "not running", "wrong
// network" and "unknown name". IP literals and extra_hosts never need it.
func (r Resolution) NeedsAliases() bool {
	if r.Kind != ResolveContainers && r.Kind != ResolveUpstream {
		return false
	}
	if _, err := netip.ParseAddr(normalizeHost(r.Host)); err == nil {
		return false
	}
	return len(r.Running()) == 0
}

// AliasCandidates lists the IDs of the containers whose inspect data may
// add names they answer to from's namespace: members of its user-defined
// networks, stopped ones included, not inspected yet, whose endpoint there
// lists no DNSNames. It is bounded by the size of those networks, however
// many names need resolving: one inspect each, once per topology.
func (t *Topology) AliasCandidates(from *Container) []string {
	var ids []string
	seen := map[string]bool{}
	for _, n := range t.NamespaceNetworks(t.Namespace(from)) {
		if n.IsDefaultBridge() {
			continue // no names resolve there
		}
		for _, m := range t.Members(n) {
			if m.Inspected || seen[m.ID] {
				continue
			}
			if e, ok := m.Endpoint(n.ID); ok && len(e.DNSNames) == 0 {
				seen[m.ID] = true
				ids = append(ids, m.ID)
			}
		}
	}
	return ids
}
