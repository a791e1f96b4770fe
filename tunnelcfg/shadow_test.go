package tunnelcfg

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// shadowedReference is shadowed as it was first written (five map look-ups
// and two string concatenations per rule): the oracle the faster one must
// agree with.
func shadowedReference(c *Config, badPath []bool) []Problem {
	exact := make(map[refHostPath]int, len(c.Rules)) // host+path -> first rule
	anyPath := make(map[string]int, len(c.Rules))    // host -> first rule with no path
	hostless := map[string]int{}                     // path -> first rule with hostname "" or "*"
	var ps []Problem
	firstCatchAll := -1
	for j, r := range c.Rules {
		if r.IsCatchAll() {
			if firstCatchAll < 0 {
				firstCatchAll = j
			}
			continue
		}
		if firstCatchAll >= 0 { // already reported as catch-all-not-last
			continue
		}
		if badPath[j] {
			continue
		}
		if p, ok := refShadowOf(c, j, exact, anyPath, hostless); ok {
			ps = append(ps, p)
		}
		hosts := []string{r.Hostname}
		if pc := punycode(r.Hostname); pc != "" {
			hosts = append(hosts, pc)
		}
		if r.Hostname == "" || r.Hostname == "*" {
			if _, ok := hostless[r.Path]; !ok {
				hostless[r.Path] = j
			}
			continue
		}
		for _, h := range hosts {
			if _, ok := exact[refHostPath{h, r.Path}]; !ok {
				exact[refHostPath{h, r.Path}] = j
			}
			if r.Path == "" {
				if _, ok := anyPath[h]; !ok {
					anyPath[h] = j
				}
			}
		}
	}
	return ps
}

func refShadowOf(c *Config, j int, exact map[refHostPath]int, anyPath, hostless map[string]int) (Problem, bool) {
	r := c.Rules[j]
	line := r.Line
	if i, ok := hostless[r.Path]; ok && r.Path != "" {
		return shadowProblem(c, i, j, line, fmt.Sprintf("%s matches path %q on every hostname", ruleLabel(c, i), r.Path)), true
	}
	if r.Hostname == "" || r.Hostname == "*" {
		return Problem{}, false
	}
	// A request reaches rule j by its hostname or by its punycode form; the
	// rule is shadowed only when both are taken.
	if pc := punycode(r.Hostname); pc != "" {
		if _, ok := exact[refHostPath{pc, r.Path}]; !ok {
			if _, ok := refCoveredHost(pc, anyPath); !ok {
				return Problem{}, false
			}
		}
	}
	if i, ok := exact[refHostPath{r.Hostname, r.Path}]; ok {
		p := shadowProblem(c, i, j, line, fmt.Sprintf("%s has the same hostname and path", ruleLabel(c, i)))
		if c.Rules[i].Hostname == r.Hostname {
			p.Kind = KindDuplicateRule
			p.Message = fmt.Sprintf("%s repeats %s: the same hostname and path, so cloudflared never uses it (it picks the first match).", ruleLabel(c, j), ruleLabel(c, i))
			p.Fix = fmt.Sprintf("Delete rule %d, or merge what it was meant to do into rule %d.", j, i)
		}
		return p, true
	}
	if i, ok := refCoveredHost(r.Hostname, anyPath); ok {
		return shadowProblem(c, i, j, line, fmt.Sprintf("%s matches every path of that hostname", ruleLabel(c, i))), true
	}
	return Problem{}, false
}

// coveredHost finds the earliest path-less rule whose host pattern matches
// every name host stands for: host itself, or a wildcard over a suffix.
func refCoveredHost(host string, anyPath map[string]int) (int, bool) {
	best, found := -1, false
	consider := func(i int) {
		if !found || i < best {
			best, found = i, true
		}
	}
	if i, ok := anyPath[host]; ok {
		consider(i)
	}
	for k := 0; k < len(host); k++ {
		if host[k] != '.' {
			continue
		}
		if i, ok := anyPath["*"+host[k:]]; ok && "*"+host[k:] != host {
			consider(i)
		}
	}
	return best, found
}

type refHostPath struct{ host, path string }

// TestShadowedAgreesWithReference compares shadowed with the reference on
// random rule lists drawn from names that collide in every way shadowing
// cares about: the same host, its upper-case twin, punycode, wildcards
// over it at several depths, literal stars, hostless rules, repeated
// paths, catch-alls in the middle.
func TestShadowedAgreesWithReference(t *testing.T) {
	hosts := []string{"", "*", "a.example.com", "A.example.com", "*.example.com", "*.Example.com", "b.a.example.com",
		"*.a.example.com", "example.com", "*.com", "*foo.example.com", "foo.example.com", "môô.example.com",
		"xn--m-xgaa.example.com", "a_b.example.com", "*.môô.example.com", "x.môô.example.com"}
	paths := []string{"", "", "^/api", "/x", "(["}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 3000; round++ {
		n := 1 + rng.IntN(12)
		c := &Config{}
		for i := 0; i < n; i++ {
			c.Rules = append(c.Rules, Rule{Index: i, Line: i + 1, Hostname: hosts[rng.IntN(len(hosts))], Path: paths[rng.IntN(len(paths))], Service: "http://a:1"})
		}
		badPath := make([]bool, n)
		for i, r := range c.Rules {
			badPath[i] = r.Path == "(["
		}
		got, want := shadowed(c, badPath), shadowedReference(c, badPath)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("rules %s\n got %+v\nwant %+v", rulesText(c), got, want)
		}
	}
}

func rulesText(c *Config) string {
	s := ""
	for _, r := range c.Rules {
		s += fmt.Sprintf("[%q %q] ", r.Hostname, r.Path)
	}
	return s
}
