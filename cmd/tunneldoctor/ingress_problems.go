package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// labeledProblem is a problem with the code and severity shown beside it.
type labeledProblem struct {
	tunnelcfg.Problem
	code     string // the finding code `tunneldoctor check` reports it under, "" if none
	severity string // "error" for what cloudflared refuses, else the usual severity of that check
}

// labelProblems labels every problem, looking the checks up once.
func labelProblems(problems []tunnelcfg.Problem) []labeledProblem {
	byKind := checks.KindChecks()
	out := make([]labeledProblem, len(problems))
	for i, p := range problems {
		c, ok := byKind[p.Kind]
		sev := "warn"
		switch {
		case p.Fatal:
			sev = "error"
		case ok && c.Severity != agent.Error:
			sev = c.Severity.String()
		}
		out[i] = labeledProblem{Problem: p, code: c.Code, severity: sev}
	}
	return out
}

// writeProblems lists problems for a terminal: where, severity and code on
// one line, then the message and the fix wrapped to 80 columns.
func writeProblems(w io.Writer, problems []labeledProblem) {
	for _, p := range problems {
		var where []string
		if p.Line > 0 {
			where = append(where, fmt.Sprintf("line %d", p.Line))
		}
		if p.Rule >= 0 {
			where = append(where, fmt.Sprintf("rule #%d", p.Rule))
		}
		if p.Field != "" {
			where = append(where, p.Field)
		}
		head := p.severity
		if p.code != "" {
			head += " " + p.code
		}
		if len(where) > 0 {
			head = strings.Join(where, ", ") + ": " + head
		}
		fmt.Fprintf(w, "\n  %s\n", head)
		fmt.Fprintln(w, indentLines(p.Message, "    "))
		if p.Fix != "" {
			fix := indentLines("fix: "+p.Fix, "    ")
			fmt.Fprintln(w, strings.ReplaceAll(fix, "\n    ", "\n         "))
		}
	}
	if len(problems) > 0 {
		fmt.Fprintln(w)
	}
}

// countProblems counts by the severity shown beside each problem, so the
// closing line agrees with the list above it.
func countProblems(problems []labeledProblem) (errs, warns, notes int) {
	for _, p := range problems {
		switch p.severity {
		case "error":
			errs++
		case "warn":
			warns++
		default:
			notes++
		}
	}
	return errs, warns, notes
}

func fatalOnly(problems []tunnelcfg.Problem) []tunnelcfg.Problem {
	var out []tunnelcfg.Problem
	for _, p := range problems {
		if p.Fatal {
			out = append(out, p)
		}
	}
	return out
}

// countsSuffix is " (2 warnings, 1 note)", or "" when there are none.
func countsSuffix(warns, notes int) string {
	var parts []string
	if warns > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", warns, plural(warns, "warning", "warnings")))
	}
	if notes > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", notes, plural(notes, "note", "notes")))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
