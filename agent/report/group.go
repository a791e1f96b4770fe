package report

import (
	"sort"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Titles of the groups that are not one hostname.
const (
	groupGeneral  = "general"     // the tunnel, the edge, tunneldoctor itself
	groupCatchAll = "(catch-all)" // rules without a hostname
)

// group is what the report says about one hostname.
type group struct {
	title    string
	rules    []tunnelcfg.Rule // the ingress rules for this hostname, in order
	findings []agent.Finding
}

// sorted holds the findings of one report, arranged for reading.
type sorted struct {
	groups  []group         // general first, then hostnames in rule order, then the catch-all
	skipped []agent.Finding // checks that could not run
	passed  int
	quiet   []string // hostnames of the config without any finding
}

// arrange groups findings by hostname. A finding about a rule but without a
// hostname takes the rule's hostname; one about no rule is "general".
func arrange(snap *agent.Snapshot, findings []agent.Finding) sorted {
	var rules []tunnelcfg.Rule
	if snap != nil && snap.Ingress.Config != nil {
		rules = snap.Ingress.Config.Rules
	}
	byTitle := map[string]*group{}
	var order []string
	add := func(title string) *group {
		if g, ok := byTitle[title]; ok {
			return g
		}
		g := &group{title: title}
		byTitle[title] = g
		order = append(order, title)
		return g
	}
	// Hostnames of the configuration first, in rule order, so the report
	// reads like the config file.
	add(groupGeneral)
	for _, r := range rules {
		g := add(ruleTitle(r))
		g.rules = append(g.rules, r)
	}
	known := len(order)

	var out sorted
	for _, f := range findings {
		switch f.Severity {
		case agent.Pass:
			out.passed++
			continue
		case agent.Skipped:
			out.skipped = append(out.skipped, f)
			continue
		}
		title := f.Hostname
		if title == "" && f.Rule >= 0 {
			title = groupCatchAll
			if f.Rule < len(rules) {
				title = ruleTitle(rules[f.Rule])
			}
		}
		if title == "" {
			title = groupGeneral
		}
		g := add(title)
		g.findings = append(g.findings, f)
	}

	// Hostnames only findings know about (not in the config) go after the
	// configured ones, alphabetically; the catch-all goes last.
	extra := order[known:]
	sort.Strings(extra)
	for i, t := range extra {
		order[known+i] = t
	}
	for _, t := range order {
		g := byTitle[t]
		if t == groupCatchAll {
			continue
		}
		if len(g.findings) == 0 {
			if t != groupGeneral {
				out.quiet = append(out.quiet, t)
			}
			continue
		}
		agent.SortFindings(g.findings)
		out.groups = append(out.groups, *g)
	}
	if g, ok := byTitle[groupCatchAll]; ok && len(g.findings) > 0 {
		agent.SortFindings(g.findings)
		out.groups = append(out.groups, *g)
	}
	return out
}

func ruleTitle(r tunnelcfg.Rule) string {
	if r.Hostname == "" || r.Hostname == "*" {
		return groupCatchAll
	}
	return r.Hostname
}
