package agent

import (
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
)

// CodeCheckPanicked is the code of the finding that replaces a check that
// panicked: the run goes on and the report says which check failed.
const CodeCheckPanicked = "AGT000"

// Run applies every check to the snapshot. Each check is isolated: a panic
// becomes an error finding for that check, never the end of the run. A check
// whose facts are missing yields one skipped finding that says why.
func Run(s *Snapshot, checks []Check) []Finding {
	var out []Finding
	for _, c := range checks {
		out = append(out, runOne(s, c)...)
	}
	SortFindings(out)
	return out
}

func runOne(s *Snapshot, c Check) (found []Finding) {
	var missing []string
	evidence := map[string]string{}
	for _, need := range c.Needs {
		if why := s.Unavailable(need); why != "" {
			missing = append(missing, need+": "+why)
			evidence[EvidenceMissingPrefix+need] = why
		}
	}
	if len(missing) > 0 {
		f := c.Finding(Skipped, c.Title+": skipped, "+strings.Join(missing, "; "))
		f.Evidence = evidence
		return []Finding{f}
	}
	defer func() {
		if r := recover(); r != nil {
			f := Finding{
				Code: CodeCheckPanicked, Severity: Error, Hop: c.Hop, Rule: NoRule,
				Message: fmt.Sprintf("check %s (%s) crashed: %v; its verdict is missing from this report", c.Code, c.Title, r),
				Fix:     "Report this as a tunneldoctor bug with the evidence below.",
				Evidence: map[string]string{
					"check": c.Code,
					"panic": fmt.Sprint(r),
					"stack": firstLines(string(debug.Stack()), 12),
				},
			}
			found = []Finding{f}
		}
	}()
	found = c.Run(s)
	for i := range found {
		if found[i].Code == "" {
			found[i].Code = c.Code
		}
		if found[i].Hop == "" {
			found[i].Hop = c.Hop
		}
	}
	return found
}

// EvidenceMissingPrefix starts the evidence keys of a skipped finding: one
// "missing:<source>" key per unavailable fact source, valued with the reason,
// so reports can group skipped checks by cause without parsing messages.
const EvidenceMissingPrefix = "missing:"

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// SortFindings orders findings for stable output: worst first, then by rule,
// hostname and code.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Hostname != b.Hostname {
			return a.Hostname < b.Hostname
		}
		return a.Code < b.Code
	})
}

// Summary counts findings by severity.
type Summary struct {
	Error   int `json:"error"`
	Warn    int `json:"warn"`
	Info    int `json:"info"`
	Skipped int `json:"skipped"`
}

// Summarize counts the findings by severity (passes are not counted).
func Summarize(fs []Finding) Summary {
	var s Summary
	for _, f := range fs {
		switch f.Severity {
		case Error:
			s.Error++
		case Warn:
			s.Warn++
		case Info:
			s.Info++
		case Skipped:
			s.Skipped++
		}
	}
	return s
}

// Exit codes of `tunneldoctor check`.
const (
	ExitHealthy  = 0
	ExitWarnings = 1
	ExitErrors   = 2
	ExitCantRun  = 3
)

// ExitCode maps findings to the exit code: 2 when a finding is an error,
// 1 when the worst is a warning, 0 otherwise. failOn moves the threshold:
// with failOn=Error, warnings alone exit 0.
func ExitCode(fs []Finding, failOn Severity) int {
	worst := Skipped
	for _, f := range fs {
		if f.Severity > worst {
			worst = f.Severity
		}
	}
	switch {
	case worst == Error && failOn <= Error:
		return ExitErrors
	case worst == Warn && failOn <= Warn:
		return ExitWarnings
	}
	return ExitHealthy
}
