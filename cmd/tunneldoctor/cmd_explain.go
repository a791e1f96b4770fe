package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/report"
)

func explainCommand() command {
	return command{name: "explain", summary: "what a finding code means and how to fix it", run: runExplain}
}

const explainHelp = `Usage: tunneldoctor explain CODE
       tunneldoctor explain --list

Prints what a finding means, which hop of the request path it is about, its
usual severity and the fix. The finding in a report carries the fix for your
exact setup; this is the general one.

Examples:
  tunneldoctor explain NET002
  tunneldoctor explain --list`

func runExplain(ctx context.Context, std stdio, args []string) int {
	fs := newFlagSet("explain", std)
	list := fs.Bool("list", false, "list every code with its hop, severity and title")
	pos, code, ok := parseArgs(fs, args, std, explainHelp)
	if !ok {
		return code
	}
	all := checks.Documented()
	if *list {
		if len(pos) > 0 {
			return usageError(std, "explain", "--list takes no code")
		}
		listCodes(std, report.DocOrder(all))
		return 0
	}
	if len(pos) != 1 {
		return usageError(std, "explain", "want one finding code, e.g. tunneldoctor explain NET002")
	}
	want := strings.ToUpper(strings.TrimSpace(pos[0]))
	for _, c := range all {
		if c.Code == want {
			explainCheck(std, c)
			return 0
		}
	}
	codes := make([]string, 0, len(all))
	for _, c := range all {
		codes = append(codes, c.Code)
	}
	fmt.Fprintf(std.err, "tunneldoctor explain: unknown code %q%s\nRun 'tunneldoctor explain --list' for every code.\n",
		pos[0], didYouMean(want, codes))
	return agent.ExitCantRun
}

func explainCheck(std stdio, c agent.Check) {
	w := std.out
	fmt.Fprintf(w, "%s  %s\n\n", c.Code, c.Title)
	fmt.Fprintf(w, "Hop:      %s\n", c.Hop)
	fmt.Fprintf(w, "Severity: %s (usually)\n", c.Severity)
	if len(c.Needs) > 0 {
		fmt.Fprintf(w, "Needs:    %s (skipped when these facts are missing)\n", strings.Join(c.Needs, ", "))
	}
	fmt.Fprintf(w, "\n%s\n", fill(c.Explain, 78))
	fmt.Fprintf(w, "\nFix:\n%s\n", indentLines(c.Fix, "  "))
}

func listCodes(std stdio, all []agent.Check) {
	tw := tabwriter.NewWriter(std.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tHOP\tSEVERITY\tTITLE")
	for _, c := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Code, c.Hop, c.Severity, c.Title)
	}
	tw.Flush()
}

// fill wraps prose at width columns; text with line breaks is kept as is.
func fill(s string, width int) string {
	if strings.Contains(strings.TrimSpace(s), "\n") {
		return s
	}
	var b strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		if n > 0 && n+1+len(word) > width {
			b.WriteString("\n")
			n = 0
		} else if n > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}

func indentLines(s, indent string) string {
	s = fill(s, 78-len(indent))
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(indent+l, " ")
	}
	return strings.Join(lines, "\n")
}
