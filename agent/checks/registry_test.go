package checks_test

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/report"
)

var codeFormat = regexp.MustCompile(`^[A-Z]{2,3}[0-9]{3}$`)

// Code prefixes by area (the house rules); a new area needs a new prefix here.
var codePrefixes = []string{"ING", "TUN", "NET", "ORG", "PRB", "CF", "AGT"}

const regenerate = "go run ./cmd/tunneldoctor docs codes --write README.md"

func TestRegistryChecksAreWellFormed(t *testing.T) {
	seen := map[string]string{}
	for _, c := range checks.Documented() {
		name := c.Code + " (" + c.Title + ")"
		if !codeFormat.MatchString(c.Code) {
			t.Errorf("%s: code does not match %s", name, codeFormat)
		}
		if !hasPrefix(c.Code) {
			t.Errorf("%s: code prefix is none of %v", name, codePrefixes)
		}
		if other, dup := seen[c.Code]; dup {
			t.Errorf("code %s is used twice: %q and %q", c.Code, other, c.Title)
		}
		seen[c.Code] = c.Title
		if strings.TrimSpace(c.Title) == "" || strings.TrimSpace(c.Explain) == "" || strings.TrimSpace(c.Fix) == "" {
			t.Errorf("%s: Title, Explain and Fix must all be written", name)
		}
		if !validHop(c.Hop) {
			t.Errorf("%s: hop %q is none of %v", name, c.Hop, agent.Hops)
		}
		if c.Severity < agent.Info || c.Severity > agent.Error {
			t.Errorf("%s: usual severity %v, want info, warn or error", name, c.Severity)
		}
		for _, need := range c.Needs {
			if (&agent.Snapshot{}).Unavailable(need) == "unknown fact source "+need {
				t.Errorf("%s: needs unknown fact source %q", name, need)
			}
		}
	}
	for _, c := range checks.All() {
		if c.Run == nil {
			t.Errorf("%s: in All() without a Run func", c.Code)
		}
	}
}

func TestRegistryByCode(t *testing.T) {
	for _, c := range checks.All() {
		got, ok := checks.ByCode(c.Code)
		if !ok || got.Title != c.Title {
			t.Errorf("ByCode(%s) = %v, %v", c.Code, got.Title, ok)
		}
	}
	if _, ok := checks.ByCode("XXX999"); ok {
		t.Error("ByCode found a code that does not exist")
	}
}

// TestRegistryREADMETable proves README.md documents every code, with the
// table generated from the checks themselves.
func TestRegistryREADMETable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	table, ok := report.CodeTableIn(string(readme))
	if !ok {
		t.Fatalf("README.md lacks the %s ... %s markers; add them and run: %s", report.CodesStart, report.CodesEnd, regenerate)
	}
	for _, c := range checks.Documented() {
		if !strings.Contains(table, "| `"+c.Code+"` |") {
			t.Errorf("README.md's code table lacks %s", c.Code)
		}
	}
	var want bytes.Buffer
	if err := report.CodeTable(&want, checks.Documented()); err != nil {
		t.Fatal(err)
	}
	if table != want.String() {
		t.Errorf("README.md's code table is stale; regenerate it with: %s", regenerate)
	}
}

func hasPrefix(code string) bool {
	for _, p := range codePrefixes {
		if strings.HasPrefix(code, p) && codeFormat.MatchString(code) && len(code) == len(p)+3 {
			return true
		}
	}
	return false
}

func validHop(h string) bool {
	for _, x := range agent.Hops {
		if h == x {
			return true
		}
	}
	return false
}
