package agent

import (
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
	// order they were given.
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
	extra := map[[2]string]bool{}
	for _, f := range findings {
		if f.Severity == Pass || (f.Rule < 0 && f.Hostname == "") {
			continue
		}
		placed := false
		for _, p := range paths[:known] {
			placed = placed || BelongsTo(f, p.Rule, p.Hostname)
		}
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
	for i := range paths {
		p := &paths[i]
		for _, f := range findings {
			if f.Severity != Pass && BelongsTo(f, p.Rule, p.Hostname) {
				p.Findings = append(p.Findings, f)
			}
		}
	}
	return paths
}
