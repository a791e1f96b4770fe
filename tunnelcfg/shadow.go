package tunnelcfg

import (
	"fmt"
	"strings"
)

// shadowed finds rules no request can reach because an earlier rule takes
// every request they would match: the same hostname and path again, the
// same hostname with no path, a wildcard covering it, or a hostname-less
// rule with the same path. Path regexes are only compared for equality, so
// every rule reported is certainly unreachable. One map look-up per name
// keeps it linear and cheap on files of 100,000 rules.
func shadowed(c *Config, badPath []bool) []Problem {
	seen := shadowIndex{hosts: make(map[string]int32, len(c.Rules)), names: make([]seenHost, 0, len(c.Rules)), hostless: map[string]int{}, wildcards: map[string]int{}}
	var ps []Problem
	for j := range c.Rules {
		r := &c.Rules[j]
		if r.IsCatchAll() {
			break // the rest is already reported as catch-all-not-last
		}
		if badPath[j] {
			continue
		}
		pc := punycode(r.Hostname)
		if p, ok := seen.shadowOf(c, j, pc); ok {
			ps = append(ps, p)
		}
		seen.add(j, r, pc)
	}
	return ps
}

// shadowIndex holds, for the rules seen so far, the first rule for each
// hostname (in both its forms) and path.
type shadowIndex struct {
	hosts     map[string]int32 // hostname -> its entry in names
	names     []seenHost
	hostless  map[string]int // path -> first rule with hostname "" or "*"
	wildcards map[string]int // ".example.com" -> first "*.example.com" rule with no path
}

type seenHost struct {
	first seenPath   // the first rule with this hostname
	more  []seenPath // the first rule with each other path
}

type seenPath struct {
	path string
	rule int
}

// rule returns the first rule with this hostname and path, or -1.
func (h *seenHost) rule(path string) int {
	if h.first.path == path {
		return h.first.rule
	}
	for _, p := range h.more {
		if p.path == path {
			return p.rule
		}
	}
	return -1
}

func (x *shadowIndex) lookup(host, path string) int {
	if k, ok := x.hosts[host]; ok {
		return x.names[k].rule(path)
	}
	return -1
}

func (x *shadowIndex) add(j int, r *Rule, pc string) {
	if r.Hostname == "" || r.Hostname == "*" {
		if _, ok := x.hostless[r.Path]; !ok {
			x.hostless[r.Path] = j
		}
		return
	}
	for _, h := range [2]string{r.Hostname, pc} {
		if h == "" {
			continue
		}
		k, ok := x.hosts[h]
		switch {
		case !ok:
			x.hosts[h] = int32(len(x.names))
			x.names = append(x.names, seenHost{first: seenPath{r.Path, j}})
		case x.names[k].rule(r.Path) < 0:
			x.names[k].more = append(x.names[k].more, seenPath{r.Path, j})
		}
		if rest, ok := strings.CutPrefix(h, "*"); ok && r.Path == "" && strings.HasPrefix(rest, ".") {
			if _, ok := x.wildcards[rest]; !ok {
				x.wildcards[rest] = j
			}
		}
	}
}

func (x *shadowIndex) shadowOf(c *Config, j int, pc string) (Problem, bool) {
	r := &c.Rules[j]
	line := r.Line
	if i, ok := x.hostless[r.Path]; ok && r.Path != "" {
		return shadowProblem(c, i, j, line, fmt.Sprintf("%s matches path %q on every hostname", ruleLabel(c, i), r.Path)), true
	}
	if r.Hostname == "" || r.Hostname == "*" {
		return Problem{}, false
	}
	// A request reaches rule j by its hostname or by its punycode form; the
	// rule is shadowed only when both are taken.
	if pc != "" && x.lookup(pc, r.Path) < 0 {
		if _, ok := x.coveredHost(pc); !ok {
			return Problem{}, false
		}
	}
	if i := x.lookup(r.Hostname, r.Path); i >= 0 {
		p := shadowProblem(c, i, j, line, fmt.Sprintf("%s has the same hostname and path", ruleLabel(c, i)))
		if c.Rules[i].Hostname == r.Hostname {
			p.Kind = KindDuplicateRule
			p.Message = fmt.Sprintf("%s repeats %s: the same hostname and path, so cloudflared never uses it (it picks the first match).", ruleLabel(c, j), ruleLabel(c, i))
			p.Fix = fmt.Sprintf("Delete rule %d, or merge what it was meant to do into rule %d.", j, i)
		}
		return p, true
	}
	if i, ok := x.coveredHost(r.Hostname); ok {
		return shadowProblem(c, i, j, line, fmt.Sprintf("%s matches every path of that hostname", ruleLabel(c, i))), true
	}
	return Problem{}, false
}

// coveredHost finds the earliest path-less rule whose host pattern matches
// every name host stands for: host itself, or a wildcard over a suffix.
func (x *shadowIndex) coveredHost(host string) (int, bool) {
	best := x.lookup(host, "")
	if len(x.wildcards) == 0 {
		return best, best >= 0
	}
	for k := 0; k < len(host); k++ {
		if host[k] != '.' || (k == 1 && host[0] == '*') { // "*" + host[1:] is host itself
			continue
		}
		if i, ok := x.wildcards[host[k:]]; ok && (best < 0 || i < best) {
			best = i
		}
	}
	return best, best >= 0
}

func shadowProblem(c *Config, i, j, line int, why string) Problem {
	return Problem{
		Kind: KindRuleShadowed, Rule: j, Field: "hostname", Line: line, Related: []int{i},
		Message: fmt.Sprintf("%s can never match: %s and comes first (cloudflared uses the first matching rule).", ruleLabel(c, j), why),
		Fix:     fmt.Sprintf("Move rule %d above rule %d (specific rules before general ones), or remove it.", j, i),
	}
}
