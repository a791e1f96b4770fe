package dockernet

import (
	"math/bits"
	"sort"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/textdist"
)

// Suggestion is a name that may have been meant instead of a name nothing
// answers to.
type Suggestion struct {
	Name      string     // the name to use
	Container *Container // who answers to it
	Kind      string     // "container name", "compose service", "alias"
	// Shared is true when the container is on a network the asking
	// namespace shares, so the name would resolve today.
	Shared   bool
	distance int
	norm     string
}

// Suggest returns up to max names close to host: container names, compose
// service names and aliases, closest first, reachable ones before others.
// It catches the classic mix-ups: the compose service name where
// container_name was set (or the reverse), "proj_web_1" for "proj-web-1",
// and typos.
func (t *Topology) Suggest(from *Container, host string, max int) []Suggestion {
	h := normSep(normalizeHost(host))
	if h == "" || max <= 0 {
		return nil
	}
	hmask := charMask(h)
	shared := map[string]bool{}
	if from != nil {
		for _, n := range t.NamespaceNetworks(t.Namespace(from)) {
			if !n.IsDefaultBridge() {
				shared[n.ID] = true
			}
		}
	}
	// Keep only the best max (hosts with many similar names would
	// otherwise collect hundreds of near misses per rule).
	top := make([]Suggestion, 0, max+1)
	for _, n := range t.names {
		if (from != nil && n.c.ID == from.ID) || strings.EqualFold(n.name, normalizeHost(host)) {
			continue
		}
		d, ok := closeness(h, n.norm, hmask, n.mask)
		if !ok {
			continue
		}
		isShared := shared[n.netID]
		if n.netID == "" { // a container-wide name: shared if any endpoint is
			for _, e := range n.c.Endpoints {
				isShared = isShared || shared[e.NetworkID]
			}
		}
		top = keepBest(top, Suggestion{Name: n.name, Container: n.c, Kind: n.kind, Shared: isShared, distance: d, norm: n.norm}, max)
	}
	sort.Slice(top, func(i, j int) bool { return less(top[i], top[j]) })
	return top
}

// keepBest adds s to top (at most max entries, one per normalised name).
func keepBest(top []Suggestion, s Suggestion, max int) []Suggestion {
	for i := range top {
		if top[i].norm == s.norm {
			if less(s, top[i]) {
				top[i] = s
			}
			return top
		}
	}
	if len(top) < max {
		return append(top, s)
	}
	worst := 0
	for i := range top {
		if less(top[worst], top[i]) {
			worst = i
		}
	}
	if less(s, top[worst]) {
		top[worst] = s
	}
	return top
}

func less(a, b Suggestion) bool {
	if better(a, b) != better(b, a) {
		return better(a, b)
	}
	return a.Name < b.Name
}

// suggestName is one name a container answers to, normalised once per
// topology for Suggest.
type suggestName struct {
	name, norm, kind string
	mask             uint64 // charMask(norm)
	netID            string // "" for names valid on every network
	c                *Container
}

func (t *Topology) indexNames() {
	t.names = t.names[:0]
	add := func(name, kind, netID string, c *Container) {
		if name != "" {
			norm := normSep(strings.ToLower(name))
			t.names = append(t.names, suggestName{name: name, norm: norm, mask: charMask(norm), kind: kind, netID: netID, c: c})
		}
	}
	for _, c := range t.Containers {
		add(c.Name, "container name", "", c)
		add(c.Service, "compose service", "", c)
		for _, e := range c.Endpoints {
			for _, a := range e.Aliases {
				if a != c.Name && a != c.Service {
					add(a, "alias", e.NetworkID, c)
				}
			}
		}
	}
}

func better(a, b Suggestion) bool {
	if a.Shared != b.Shared {
		return a.Shared
	}
	return a.distance < b.distance
}

// closeness scores how likely candidate was meant by typed (both already
// lower-cased and normalised): an edit distance, after treating "-", "_" and "." alike, with a bonus when one is
// a whole part of the other ("web" in "shop-web-1"). It runs for every
// name on the host per unresolved rule, so it avoids allocating.
func closeness(typed, candidate string, typedMask, candidateMask uint64) (int, bool) {
	a, b := typed, candidate // both already normalised
	if a == b {
		return 0, true
	}
	if hasPart(b, a) {
		return 1, true
	}
	if len(b) >= 3 && hasPart(a, b) {
		return 2, true
	}
	limit := max(max(len(a), len(b))/3, 1)
	if len(a)-len(b) > limit || len(b)-len(a) > limit {
		return 0, false
	}
	// Each character one string has and the other lacks costs at least one
	// edit: a cheap lower bound that skips most names before the DP.
	if bits.OnesCount64(typedMask&^candidateMask) > limit || bits.OnesCount64(candidateMask&^typedMask) > limit {
		return 0, false
	}
	d := textdist.Distance(a, b, textdist.Swaps, limit)
	return d + 2, d <= limit
}

// normSep maps "_" and "." to "-", allocating only when it must.
func normSep(s string) string {
	if !strings.ContainsAny(s, "_.") {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c == '_' || c == '.' {
			b[i] = '-'
		}
	}
	return string(b)
}

// hasPart reports whether part is one whole "-"-separated part of s.
func hasPart(s, part string) bool {
	for len(s) > 0 {
		seg, rest, _ := strings.Cut(s, "-")
		if seg == part {
			return true
		}
		s = rest
	}
	return false
}

// charMask has one bit per distinct character class of s (letters and
// digits exactly, the rest folded): a lower bound for the edit distance.
func charMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			m |= 1 << (c - 'a')
		case c >= '0' && c <= '9':
			m |= 1 << (26 + c - '0')
		default:
			m |= 1 << (36 + c%28)
		}
	}
	return m
}
