package status

import (
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
	for _, v := range agent.Attribute(r.Snapshot, r.Findings) {
		c := Chain{Rule: v.Rule, Hostname: v.Hostname, Path: v.Path, Service: v.Service}
		for _, h := range chainHops() {
			c.Hops = append(c.Hops, hopState(h.label, h.hop, v.Findings))
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
