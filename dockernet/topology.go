package dockernet

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Topology is one snapshot of the Docker host: containers and networks, as
// read with a bounded number of API calls (two lists, then inspects of the
// containers that matter; never one call per ingress rule).
type Topology struct {
	Containers []*Container `json:"containers"` // sorted by name
	Networks   []*Network   `json:"networks"`   // sorted by name
	// Unknown lists what could not be read (a socket proxy's 403, a failed
	// call): verdicts that need it are unknown, not negative.
	Unknown []string `json:"unknown,omitempty"`
	// Calls counts the Engine API calls this topology took.
	Calls int `json:"calls"`
	// Desktop is true on Docker Desktop, where host.docker.internal always
	// resolves (the collector sets it from the engine's info).
	Desktop bool `json:"desktop,omitempty"`

	byID    map[string]*Container
	netByID map[string]*Network
	names   []suggestName
}

// inspectWorkers bounds concurrent inspect calls: a socket proxy or a busy
// daemon should not see a burst of hundreds of requests.
const inspectWorkers = 8

// Load lists containers and networks: two calls. A refused or failed network
// list is recorded in Unknown (networks are then known only by name and ID
// from the containers' endpoints); a failed container list is an error.
func Load(ctx context.Context, eng Engine) (*Topology, error) {
	t := &Topology{Calls: 1}
	list, err := eng.ListContainers(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range list {
		t.Containers = append(t.Containers, fromSummary(s))
	}
	t.Calls++
	nets, err := eng.ListNetworks(ctx)
	if err != nil {
		t.Unknown = append(t.Unknown, unknownReason("network details (internal, inter-container communication)", err))
	}
	for _, n := range nets {
		t.Networks = append(t.Networks, fromNetwork(n.Network))
	}
	t.index()
	return t, nil
}

// Inspect reads the full description of the given containers (IDs or
// names), each at most once per topology, and re-derives network members.
// A container that cannot be inspected keeps its list data and says why.
func (t *Topology) Inspect(ctx context.Context, eng Engine, refs ...string) {
	var todo []*Container
	seen := map[string]bool{}
	for _, ref := range refs {
		c := t.Container(ref)
		if c == nil || c.Inspected || seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		todo = append(todo, c)
	}
	if len(todo) == 0 {
		return
	}
	type result struct {
		c   *Container
		err error
		fn  func()
	}
	results := make([]result, len(todo))
	sem := make(chan struct{}, inspectWorkers)
	var wg sync.WaitGroup
	for i, c := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			in, err := eng.InspectContainer(ctx, c.ID)
			results[i] = result{c: c, err: err}
			if err == nil {
				results[i].fn = func() { applyInspect(c, in) }
			}
		}()
	}
	wg.Wait()
	t.Calls += len(todo)
	for _, r := range results {
		if r.err != nil {
			r.c.InspectError = unknownReason("inspect", r.err)
			continue
		}
		r.fn()
	}
	t.index()
}

func unknownReason(what string, err error) string {
	if IsDenied(err) {
		return what + ": refused by the Docker API (a socket proxy denies it?): " + err.Error()
	}
	return what + ": " + err.Error()
}

// index rebuilds the lookup maps and network members from the containers.
func (t *Topology) index() {
	sort.Slice(t.Containers, func(i, j int) bool { return t.Containers[i].Name < t.Containers[j].Name })
	t.byID = make(map[string]*Container, len(t.Containers))
	for _, c := range t.Containers {
		t.byID[c.ID] = c
	}
	t.netByID = make(map[string]*Network, len(t.Networks))
	for _, n := range t.Networks {
		n.Members = n.Members[:0]
		t.netByID[n.ID] = n
	}
	byName := make(map[string]*Network, len(t.Networks))
	for _, n := range t.Networks {
		byName[n.Name] = n
	}
	for _, c := range t.Containers {
		for i, e := range c.Endpoints {
			n := t.netByID[e.NetworkID]
			if n == nil && byName[e.NetworkName] != nil {
				// Podman has reported the network's name as its ID.
				n = byName[e.NetworkName]
				c.Endpoints[i].NetworkID = n.ID
			}
			if n == nil {
				// Not in the network list (refused, or created since):
				// known by name and ID only.
				n = &Network{ID: e.NetworkID, Name: e.NetworkName}
				t.Networks = append(t.Networks, n)
				t.netByID[n.ID] = n
				byName[n.Name] = n
			}
			n.Members = append(n.Members, c.ID)
		}
	}
	sort.Slice(t.Networks, func(i, j int) bool { return t.Networks[i].Name < t.Networks[j].Name })
	t.indexNames()
}

// Container finds a container by full ID, name (with or without the leading
// "/"), or unique ID prefix; nil when there is none or the prefix is ambiguous.
func (t *Topology) Container(ref string) *Container {
	ref = strings.TrimPrefix(ref, "/")
	if ref == "" {
		return nil
	}
	if c := t.byID[ref]; c != nil {
		return c
	}
	var byPrefix *Container
	for _, c := range t.Containers {
		if c.Name == ref {
			return c
		}
		if strings.HasPrefix(c.ID, ref) {
			if byPrefix != nil {
				return nil
			}
			byPrefix = c
		}
	}
	return byPrefix
}

// Network finds a network by ID or name.
func (t *Topology) Network(ref string) *Network {
	if n := t.netByID[ref]; n != nil {
		return n
	}
	for _, n := range t.Networks {
		if n.Name == ref {
			return n
		}
	}
	return nil
}

// Members returns the containers attached to a network.
func (t *Topology) Members(n *Network) []*Container {
	out := make([]*Container, 0, len(n.Members))
	for _, id := range n.Members {
		if c := t.byID[id]; c != nil {
			out = append(out, c)
		}
	}
	return out
}

// Describe names a container for messages: "name (compose service svc)".
func Describe(c *Container) string {
	if c == nil {
		return "(none)"
	}
	if c.Service != "" && c.Service != c.Name {
		return fmt.Sprintf("%s (compose service %q)", c.Name, c.Service)
	}
	return c.Name
}

// NewTopology assembles a topology from hand-made containers and networks
// (tests of the checks, other sources than the Engine API). Network members
// are derived from the containers' endpoints.
func NewTopology(containers []*Container, networks []*Network) *Topology {
	t := &Topology{Containers: containers, Networks: networks}
	t.index()
	return t
}
