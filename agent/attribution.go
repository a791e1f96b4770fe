package agent

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Attribution: which findings belong to which request path, and whether the
// path is broken. The text report's verdict, the status page's hop chains,
// the tunneldoctor_rule_up metric and /readyz all judge paths with these
// functions, so they can never disagree about the same findings.

// PathVerdict is what one run's findings say about one request path: an
// ingress rule, or (when the rules are unknown) a hostname the findings name.
type PathVerdict struct {
	Rule     int // the ingress rule index; NoRule when the path is not one rule
	Hostname string
	Path     string
	Service  string
	// Findings are every finding on this path (see BelongsTo), in the
	// order they were given. Paths may share this slice: read it, do not
	// modify its elements.
	Findings []Finding
}

// Breaks reports whether a finding means requests fail: an error about the
// request path. Warnings and info describe risks; skipped checks are
// unknowns, never a verdict; and an error about tunneldoctor itself (it
// could not choose cloudflared, reach Docker, or see from cloudflared's
// namespace) says what was not looked at, not that requests fail.
func Breaks(f Finding) bool { return f.Severity == Error && !AboutTunneldoctor(f) }

// AboutTunneldoctor reports whether a finding is about tunneldoctor's own
// view (the AGT family) rather than a hop of the request path.
func AboutTunneldoctor(f Finding) bool { return strings.HasPrefix(f.Code, "AGT") }

// BelongsTo reports whether finding f is about the path of rule (an index,
// or NoRule when the rules are unknown) serving hostname: a finding about a
// rule belongs to that rule only; one about a hostname but no rule to every
// rule of the hostname; one about neither (the tunnel, the edge account,
// tunneldoctor itself) to every path.
func BelongsTo(f Finding, rule int, hostname string) bool {
	switch {
	case f.Rule >= 0 && rule >= 0:
		return f.Rule == rule
	case f.Hostname != "":
		return f.Hostname == hostname
	}
	return true
}

// Up reports whether no finding on the path breaks it, on any hop.
func (v PathVerdict) Up() bool { return len(v.Breaking()) == 0 }

// Breaking returns the path's findings that break it, worst first.
func (v PathVerdict) Breaking() []Finding {
	var out []Finding
	for _, f := range v.Findings {
		if Breaks(f) {
			out = append(out, f)
		}
	}
	SortFindings(out)
	return out
}

// BreakingPastEdge returns the breaking findings on the hops from the tunnel
// to the origin protocol: what makes the sidecar unready. An edge error (a
// DNS record, a zone setting) breaks the hostname for visitors, but the
// path from cloudflared to the origin may be perfectly fine.
func (v PathVerdict) BreakingPastEdge() []Finding {
	var out []Finding
	for _, f := range v.Breaking() {
		if f.Hop != HopEdge {
			out = append(out, f)
		}
	}
	return out
}

// Attribute judges every request path of the run: one verdict per ingress
// rule when the rules are known; else one per hostname the findings name,
// alphabetically; else a single path for everything. Passing findings are
// left out.
func Attribute(s *Snapshot, findings []Finding) []PathVerdict {
	var paths []PathVerdict
	if s != nil && s.Ingress.Config != nil {
		for _, r := range s.Ingress.Config.Rules {
			paths = append(paths, PathVerdict{Rule: r.Index, Hostname: r.Hostname, Path: r.Path, Service: r.Service})
		}
	} else {
		seen := map[string]bool{}
		for _, f := range findings {
			if f.Hostname != "" && !seen[f.Hostname] {
				seen[f.Hostname] = true
				paths = append(paths, PathVerdict{Rule: NoRule, Hostname: f.Hostname, Service: f.Service})
			}
		}
		sort.Slice(paths, func(i, j int) bool { return paths[i].Hostname < paths[j].Hostname })
		if len(paths) == 0 {
			paths = []PathVerdict{{Rule: NoRule}}
		}
	}
	known := len(paths)
	// A finding about a rule or hostname none of the paths is (a DNS record
	// for a hostname without a rule) gets a path of its own, after the
	// known ones: it is judged, not dropped.
	idx := indexPaths(paths)
	extra := map[[2]string]bool{}
	for _, f := range findings {
		if f.Severity == Pass || (f.Rule < 0 && f.Hostname == "") {
			continue
		}
		placed := len(idx.targets(f, known)) > 0
		if k := [2]string{strconv.Itoa(f.Rule), f.Hostname}; !placed && !extra[k] {
			extra[k] = true
			paths = append(paths, PathVerdict{Rule: f.Rule, Hostname: f.Hostname, Service: f.Service})
		}
	}
	more := paths[known:]
	sort.SliceStable(more, func(i, j int) bool {
		if more[i].Hostname != more[j].Hostname {
			return more[i].Hostname < more[j].Hostname
		}
		return more[i].Rule < more[j].Rule
	})
	// Each finding goes to the paths BelongsTo gives it, found by index
	// rather than by trying every path (10,000 rules and as many findings
	// made that 10^8 calls a run); each path keeps the findings' order.
	if len(more) > 0 {
		idx = indexPaths(paths)
	}
	//
	// Findings about no rule and no hostname (the tunnel, the account,
	// tunneldoctor itself) belong to every path: the paths with no finding
	// of their own share one clipped slice of them instead of a copy each
	// (10,000 rules and 50 skipped checks were half a million copies).
	var wide []Finding
	own := make([]bool, len(paths))
	for _, f := range findings {
		switch {
		case f.Severity == Pass:
		case f.Rule < 0 && f.Hostname == "":
			wide = append(wide, f)
		default:
			for _, i := range idx.targets(f, len(paths)) {
				own[i] = true
			}
		}
	}
	wide = slices.Clip(wide) // an append by a reader copies, never writes into the shared array
	for i := range paths {
		if !own[i] {
			paths[i].Findings = wide
		}
	}
	for _, f := range findings {
		if f.Severity == Pass {
			continue
		}
		for _, i := range idx.targets(f, len(paths)) {
			if own[i] {
				paths[i].Findings = append(paths[i].Findings, f)
			}
		}
	}
	return paths
}

// pathIndex finds the paths a finding belongs to (BelongsTo) without
// trying each one.
type pathIndex struct {
	byRule         map[int][]int    // paths of a rule (index ≥ 0)
	byHost         map[string][]int // paths of a hostname, any rule
	ruleless       []int            // paths that are not one rule
	rulelessByHost map[string][]int
	all            []int
}

func indexPaths(paths []PathVerdict) *pathIndex {
	x := &pathIndex{byRule: map[int][]int{}, byHost: map[string][]int{}, rulelessByHost: map[string][]int{}}
	for i, p := range paths {
		x.all = append(x.all, i)
		x.byHost[p.Hostname] = append(x.byHost[p.Hostname], i)
		if p.Rule >= 0 {
			x.byRule[p.Rule] = append(x.byRule[p.Rule], i)
		} else {
			x.ruleless = append(x.ruleless, i)
			x.rulelessByHost[p.Hostname] = append(x.rulelessByHost[p.Hostname], i)
		}
	}
	return x
}

// targets lists, in path order, the paths among the first n that finding
// f belongs to.
func (x *pathIndex) targets(f Finding, n int) []int {
	var out []int
	switch {
	case f.Rule >= 0 && f.Hostname != "":
		out = merge(x.byRule[f.Rule], x.rulelessByHost[f.Hostname])
	case f.Rule >= 0:
		out = merge(x.byRule[f.Rule], x.ruleless)
	case f.Hostname != "":
		out = x.byHost[f.Hostname]
	default:
		out = x.all
	}
	for len(out) > 0 && out[len(out)-1] >= n {
		out = out[:len(out)-1]
	}
	return out
}

// merge joins two ascending, disjoint index lists in order.
func merge(a, b []int) []int {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]int, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0] < b[0] {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}
