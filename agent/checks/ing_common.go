package checks

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// problemCheck is an ingress check that reports the tunnelcfg problems of
// some kinds: the configuration facts are judged once, in tunnelcfg, and
// each kind gets one code here.
type problemCheck struct {
	check agent.Check
	kinds []tunnelcfg.Kind
}

// newProblemCheck completes an ingress check that maps kinds to findings.
func newProblemCheck(c agent.Check, kinds ...tunnelcfg.Kind) problemCheck {
	c.Hop = agent.HopIngress
	c.Needs = []string{agent.SourceIngress}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return problemFindings(c, kinds, s) }
	return problemCheck{check: c, kinds: kinds}
}

// KindChecks maps every tunnelcfg problem kind to the check that reports
// it: its code and usual severity. Building it builds the ingress checks,
// so build it once and look each problem up in it.
func KindChecks() map[tunnelcfg.Kind]agent.Check {
	out := map[tunnelcfg.Kind]agent.Check{}
	for _, pc := range ingressProblemChecks() {
		for _, k := range pc.kinds {
			out[k] = pc.check
		}
	}
	return out
}

// sourcedProblem is a problem with the configuration it is about.
type sourcedProblem struct {
	tunnelcfg.Problem
	cfg    *tunnelcfg.Config // nil for command-line problems
	source string
}

// ingProblems gathers the problems of the live configuration, of the local
// file when it is not the live one (cloudflared still parses it at start),
// and of cloudflared's command line and environment.
func ingProblems(s *agent.Snapshot) []sourcedProblem {
	in := &s.Ingress
	var out []sourcedProblem
	for _, p := range in.Problems {
		out = append(out, sourcedProblem{p, in.Config, configName(in.Config)})
	}
	if in.File != nil && in.File != in.Config {
		for _, p := range in.FileProblems {
			out = append(out, sourcedProblem{p, in.File, configName(in.File)})
		}
	}
	if in.Settings != nil {
		for _, p := range in.Settings.Problems {
			out = append(out, sourcedProblem{p, nil, "cloudflared's command line and environment"})
		}
	}
	return out
}

func configName(c *tunnelcfg.Config) string {
	switch {
	case c == nil:
		return ""
	case c.Path != "":
		return c.Path
	case c.Origin == tunnelcfg.FromCloudflared:
		return "cloudflared's /config"
	case c.Origin == tunnelcfg.FromAPI:
		return "the Cloudflare API's tunnel configuration"
	case c.Origin == tunnelcfg.FromCLI:
		return "cloudflared's --url"
	}
	return string(c.Origin)
}

func problemFindings(c agent.Check, kinds []tunnelcfg.Kind, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, sp := range ingProblems(s) {
		if !hasKind(kinds, sp.Kind) {
			continue
		}
		out = append(out, problemFinding(c, s, sp))
	}
	return out
}

func hasKind(kinds []tunnelcfg.Kind, k tunnelcfg.Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// problemFinding turns one problem into a finding: Error when cloudflared
// refuses the configuration, else the check's usual severity.
func problemFinding(c agent.Check, s *agent.Snapshot, sp sourcedProblem) agent.Finding {
	sev := c.Severity
	msg := sp.Message
	if sp.Fatal {
		sev = agent.Error
		if sp.cfg == nil && s.Tunnel.Connected != nil && *s.Tunnel.Connected {
			// cloudflared is up, so it did accept its command line: say so
			// rather than claim a failure that is not happening.
			sev = agent.Warn
			msg += " (cloudflared is connected, so this cloudflared version accepted it; check the flag table)"
		}
	} else if sev == agent.Error {
		sev = agent.Warn
	}
	f := c.Finding(sev, msg)
	f.Fix = sp.Fix
	if f.Fix == "" {
		f.Fix = c.Fix
	}
	ev := map[string]string{"kind": string(sp.Kind), "source": sp.source}
	if sp.Field != "" {
		ev["field"] = sp.Field
	}
	if sp.Line > 0 {
		ev["line"] = strconv.Itoa(sp.Line)
	}
	if sp.Fatal {
		ev["cloudflared_refuses"] = "true"
	}
	if sp.cfg != nil && sp.Rule >= 0 && sp.Rule < len(sp.cfg.Rules) {
		r := sp.cfg.Rules[sp.Rule]
		f.Rule, f.Hostname, f.Service = sp.Rule, r.Hostname, r.Service
		if r.Path != "" {
			ev["path"] = r.Path
		}
	}
	if len(sp.Related) > 0 && sp.cfg != nil {
		ev["related_rules"] = relatedRules(sp.cfg, sp.Related)
	}
	// No line number in the subject: editing lines above a problem must not
	// make watch mode report it resolved and opened again.
	ev[agent.EvidenceSubject] = sp.source + ":" + string(sp.Kind) + ":" + sp.Field
	f.Evidence = ev
	return f
}

// relatedRules names the rules a problem involves, bounded for huge files.
func relatedRules(c *tunnelcfg.Config, idx []int) string {
	idx = append([]int(nil), idx...)
	sort.Ints(idx)
	const show = 10
	var parts []string
	for k, i := range idx {
		if k == show {
			parts = append(parts, fmt.Sprintf("... %d more", len(idx)-show))
			break
		}
		host := "(any hostname)"
		if i >= 0 && i < len(c.Rules) && c.Rules[i].Hostname != "" {
			host = c.Rules[i].Hostname
		}
		parts = append(parts, fmt.Sprintf("%d %s", i, host))
	}
	return strings.Join(parts, ", ")
}
