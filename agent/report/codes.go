package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// Markers around the generated code table in README.md.
const (
	CodesStart = "<!-- codes:start -->"
	CodesEnd   = "<!-- codes:end -->"
)

// CodeTable writes the Markdown table of finding codes, one row per check,
// in request-path order (edge first) and by code within a hop, with
// tunneldoctor's own AGT codes last. README.md embeds it between CodesStart
// and CodesEnd; `tunneldoctor docs codes` prints it.
func CodeTable(w io.Writer, checks []agent.Check) error {
	checks = DocOrder(checks)
	bw := bufio.NewWriter(w)
	bw.WriteString("| Code | Hop | Severity | Title | What it means |\n")
	bw.WriteString("|---|---|---|---|---|\n")
	for _, c := range checks {
		fmt.Fprintf(bw, "| `%s` | %s | %s | %s | %s |\n",
			c.Code, c.Hop, c.Severity, cell(c.Title), cell(c.Explain))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing code table: %w", err)
	}
	return nil
}

// DocOrder returns the checks sorted for documentation: by hop in request
// order (edge first), by code within a hop, tunneldoctor's own AGT codes
// last. The argument is not modified.
func DocOrder(checks []agent.Check) []agent.Check {
	checks = slices.Clone(checks)
	sort.SliceStable(checks, func(i, j int) bool {
		a, b := docRank(checks[i]), docRank(checks[j])
		if a != b {
			return a < b
		}
		return checks[i].Code < checks[j].Code
	})
	return checks
}

// docRank orders hops as the request travels; AGT codes are about
// tunneldoctor itself, whatever hop they carry.
func docRank(c agent.Check) int {
	if strings.HasPrefix(c.Code, "AGT") {
		return len(agent.Hops)
	}
	if i := slices.Index(agent.Hops, c.Hop); i >= 0 {
		return i
	}
	return len(agent.Hops)
}

// cell makes text safe inside one Markdown table cell.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// ReplaceCodeTable returns doc with the text between the markers replaced by
// table. It fails when the markers are missing or out of order, rather than
// appending a second table.
func ReplaceCodeTable(doc, table string) (string, error) {
	start := strings.Index(doc, CodesStart)
	end := strings.Index(doc, CodesEnd)
	if start < 0 || end < 0 || end < start {
		return "", fmt.Errorf("markers %s ... %s not found in order", CodesStart, CodesEnd)
	}
	head := doc[:start+len(CodesStart)]
	return head + "\n" + table + doc[end:], nil
}

// CodeTableIn returns the text between the markers, as written in doc.
func CodeTableIn(doc string) (string, bool) {
	start := strings.Index(doc, CodesStart)
	end := strings.Index(doc, CodesEnd)
	if start < 0 || end < 0 || end < start {
		return "", false
	}
	return strings.TrimPrefix(doc[start+len(CodesStart):end], "\n"), true
}
