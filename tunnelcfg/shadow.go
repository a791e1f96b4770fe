package tunnelcfg

import "fmt"

// shadowed finds rules no request can reach because an earlier rule takes
// every request they would match: the same hostname and path again, the
// same hostname with no path, a wildcard covering it, or a hostname-less
// rule with the same path. Path regexes are only compared for equality, so
// every rule reported is certainly unreachable. Indexes keep it linear in
// the number of rules.
func shadowed(c *Config, badPath []bool) []Problem {
	exact := make(map[hostPath]int, len(c.Rules)) // host+path -> first rule
	anyPath := make(map[string]int, len(c.Rules)) // host -> first rule with no path
	hostless := map[string]int{}                  // path -> first rule with hostname "" or "*"
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
		if p, ok := shadowOf(c, j, exact, anyPath, hostless); ok {
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
			if _, ok := exact[hostPath{h, r.Path}]; !ok {
				exact[hostPath{h, r.Path}] = j
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

func shadowOf(c *Config, j int, exact map[hostPath]int, anyPath, hostless map[string]int) (Problem, bool) {
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
		if _, ok := exact[hostPath{pc, r.Path}]; !ok {
			if _, ok := coveredHost(pc, anyPath); !ok {
				return Problem{}, false
			}
		}
	}
	if i, ok := exact[hostPath{r.Hostname, r.Path}]; ok {
		p := shadowProblem(c, i, j, line, fmt.Sprintf("%s has the same hostname and path", ruleLabel(c, i)))
		if c.Rules[i].Hostname == r.Hostname {
			p.Kind = KindDuplicateRule
			p.Message = fmt.Sprintf("%s repeats %s: the same hostname and path, so cloudflared never uses it (it picks the first match).", ruleLabel(c, j), ruleLabel(c, i))
			p.Fix = fmt.Sprintf("Delete rule %d, or merge what it was meant to do into rule %d.", j, i)
		}
		return p, true
	}
	if i, ok := coveredHost(r.Hostname, anyPath); ok {
		return shadowProblem(c, i, j, line, fmt.Sprintf("%s matches every path of that hostname", ruleLabel(c, i))), true
	}
	return Problem{}, false
}

// coveredHost finds the earliest path-less rule whose host pattern matches
// every name host stands for: host itself, or a wildcard over a suffix.
func coveredHost(host string, anyPath map[string]int) (int, bool) {
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

func shadowProblem(c *Config, i, j, line int, why string) Problem {
	return Problem{
		Kind: KindRuleShadowed, Rule: j, Field: "hostname", Line: line, Related: []int{i},
		Message: fmt.Sprintf("%s can never match: %s and comes first (cloudflared uses the first matching rule).", ruleLabel(c, j), why),
		Fix:     fmt.Sprintf("Move rule %d above rule %d (specific rules before general ones), or remove it.", j, i),
	}
}

// hostPath keys rules by hostname and path.
type hostPath struct{ host, path string }
