package status

import (
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/watch"
)

// Colours of a hop on the status page.
const (
	Green = "green" // nothing wrong found
	Amber = "amber" // a warning
	Red   = "red"   // an error: requests fail here
	Grey  = "grey"  // not checked: the facts were missing
)

// chainHops are the hops a request crosses, in order, as the page names them
// (the rule is the ingress hop, the container the origin hop).
func chainHops() []struct{ label, hop string } {
	return []struct{ label, hop string }{
		{"edge", agent.HopEdge},
		{"tunnel", agent.HopTunnel},
		{"rule", agent.HopIngress},
		{"network", agent.HopNetwork},
		{"container", agent.HopOrigin},
		{"protocol", agent.HopProtocol},
	}
}

// Chain is one hostname's request path, hop by hop.
type Chain struct {
	Rule     int // ingress rule index, -1 when the row is not one rule
	Hostname string
	Path     string
	Service  string
	Hops     []HopState
	Problems []agent.Finding // warnings and errors on this path, worst first
}

// HopState is one hop of a chain.
type HopState struct {
	Label  string // edge, tunnel, rule, network, container, protocol
	Colour string // Green, Amber, Red, Grey
	Note   string // the worst finding's code and message, "" when green
	Short  string // a word or a code shown under the hop's name
}

// Chains draws every request path as its hop chain. Which findings belong
// to which path is agent.Attribute's call, the same as the text report's,
// the tunneldoctor_rule_up metric's and /readyz's.
func Chains(r *watch.Result) []Chain {
	if r == nil {
		return nil
	}
	var chains []Chain
	cov := newCoverage(r.Snapshot)
	for _, v := range agent.Attribute(r.Snapshot, r.Findings) {
		c := Chain{Rule: v.Rule, Hostname: v.Hostname, Path: v.Path, Service: v.Service}
		for _, h := range chainHops() {
			st := hopState(h.label, h.hop, v.Findings)
			if st.Colour == Green {
				if why := cov.notChecked(c.Rule, h.hop); why != "" {
					st.Colour, st.Short, st.Note = Grey, "not checked", "not checked: "+why
				}
			}
			if h.hop == agent.HopProtocol {
				st.Note = joinNote(st.Note, reusedProbe(r.Snapshot, c.Rule))
			}
			c.Hops = append(c.Hops, st)
		}
		for _, f := range v.Findings {
			if f.Severity >= agent.Warn {
				c.Problems = append(c.Problems, f)
			}
		}
		agent.SortFindings(c.Problems)
		chains = append(chains, c)
	}
	return chains
}

// reusedProbe says when the rule's probe result is an earlier one because
// a newer probe is still running (a slow origin in watch mode), "" if not.
func reusedProbe(s *agent.Snapshot, rule int) string {
	if s == nil || rule < 0 {
		return ""
	}
	for _, p := range s.Probes.Results {
		if p.Target.Rule == rule && !p.InFlight.IsZero() {
			return "probe still running (since " + p.InFlight.UTC().Format(time.RFC3339) +
				"); last result from " + p.Started.UTC().Format(time.RFC3339)
		}
	}
	return ""
}

func joinNote(note, more string) string {
	switch {
	case more == "":
		return note
	case note == "":
		return more
	}
	return note + " (" + more + ")"
}

// hopState colours a hop by its worst finding: error red, warning amber,
// checked and fine green; grey when its checks were all skipped.
func hopState(label, hop string, fs []agent.Finding) HopState {
	st := HopState{Label: label, Colour: Green, Short: "ok"}
	var worst *agent.Finding
	skipped, judged := false, false
	for i := range fs {
		f := &fs[i]
		if f.Hop != hop {
			continue
		}
		if f.Severity == agent.Skipped {
			skipped = true
			continue
		}
		judged = true
		if worst == nil || f.Severity > worst.Severity {
			worst = f
		}
	}
	switch {
	case worst != nil && worst.Severity == agent.Error:
		st.Colour = Red
	case worst != nil && worst.Severity == agent.Warn:
		st.Colour = Amber
	case skipped && !judged:
		st.Colour, st.Short = Grey, "not checked"
		st.Note = "not checked: facts missing"
	}
	if worst != nil && worst.Severity >= agent.Warn {
		st.Note = worst.Code + ": " + worst.Message
		st.Short = worst.Code
	}
	return st
}

// coverage answers, for one snapshot, which hops of which rule were not
// checked; it indexes the rules and probe results once, so a page of
// 10,000 rules is not 10,000 scans of each list.
type coverage struct {
	s        *agent.Snapshot
	noOrigin map[int]string    // rule -> its service, for rules without an origin
	probed   map[int]bool      // rules with a probe result
	pending  map[int]time.Time // rules whose first probe is still running
}

func newCoverage(s *agent.Snapshot) *coverage {
	c := &coverage{s: s, noOrigin: map[int]string{}, probed: map[int]bool{}, pending: map[int]time.Time{}}
	if s == nil {
		return c
	}
	if s.Ingress.Config != nil {
		for _, r := range s.Ingress.Config.Rules {
			if _, seen := c.noOrigin[r.Index]; !seen && !strings.Contains(r.Service, "://") {
				c.noOrigin[r.Index] = r.Service
			}
		}
	}
	for _, n := range s.Probes.NotProbed {
		if _, seen := c.noOrigin[n.Rule]; !seen {
			c.noOrigin[n.Rule] = n.Service
		}
	}
	for _, p := range s.Probes.Results {
		c.probed[p.Target.Rule] = true
	}
	for _, p := range s.Probes.Pending {
		if _, seen := c.pending[p.Target.Rule]; !seen {
			c.pending[p.Target.Rule] = p.Since
		}
	}
	return c
}

// notChecked says why a hop of a rule's chain was not checked though no
// finding says so, "" when it was: green means checked and fine, never
// "nothing looked". The edge needs the API (a token); a rule without an
// origin (a catch-all http_status:404) has no network, container or
// protocol hop to check; the protocol hop needs this rule's probe result.
func (c *coverage) notChecked(rule int, hop string) string {
	s := c.s
	if s == nil {
		return "no facts"
	}
	switch hop {
	case agent.HopEdge:
		if s.Edge.Missing != "" {
			return s.Edge.Missing
		}
		if s.Edge.API == nil {
			return "no Cloudflare API token"
		}
	case agent.HopNetwork, agent.HopOrigin, agent.HopProtocol:
		if rule < 0 {
			return ""
		}
		if service, ok := c.noOrigin[rule]; ok {
			return "the rule has no origin to reach (" + service + ")"
		}
		if (hop == agent.HopNetwork || hop == agent.HopOrigin) && s.Docker.Missing != "" {
			return s.Docker.Missing
		}
		if hop != agent.HopProtocol {
			return ""
		}
		if s.Probes.Missing != "" {
			return "probes: " + s.Probes.Missing
		}
		if c.probed[rule] {
			return ""
		}
		if since, ok := c.pending[rule]; ok {
			return "probe still running (since " + since.UTC().Format(time.RFC3339) + "), no result yet"
		}
		return "no probe of this rule ran"
	}
	return ""
}
