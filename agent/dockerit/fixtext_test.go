package dockerit

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Helpers that take a fix as tunneldoctor prints it and apply it as a user
// would: run its command line, merge its compose snippet into the compose
// file, copy its service line into the rule.

// fixCommand returns the fix's first line that starts with prefix (a
// command to run as printed), split into its words.
func fixCommand(t *testing.T, fix, prefix string) []string {
	t.Helper()
	for _, l := range strings.Split(fix, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, prefix) {
			return strings.Fields(l)
		}
	}
	t.Fatalf("fix has no %q line:\n%s", prefix, fix)
	return nil
}

// fixService returns the service a fix's corrected rule names
// ("    service: http://web:8080").
func fixService(t *testing.T, fix string) string {
	t.Helper()
	for _, l := range strings.Split(fix, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "service: "); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("fix has no service line:\n%s", fix)
	return ""
}

// fixComposeSnippet returns the compose YAML at the end of a fix: from its
// "services:" line on, as long as the lines are YAML (indented, or the
// top-level services/networks keys).
func fixComposeSnippet(t *testing.T, fix string) map[string]any {
	t.Helper()
	lines := strings.Split(fix, "\n")
	start := -1
	for i, l := range lines {
		if l == "services:" {
			start = i
			break
		}
	}
	if start < 0 {
		t.Fatalf("fix has no compose snippet:\n%s", fix)
	}
	var block []string
	for _, l := range lines[start:] {
		if l != "services:" && l != "networks:" && !strings.HasPrefix(l, " ") {
			break
		}
		block = append(block, l)
	}
	var m map[string]any
	if err := yaml.Unmarshal([]byte(strings.Join(block, "\n")), &m); err != nil {
		t.Fatalf("the fix's compose snippet is not YAML: %v\n%s", err, strings.Join(block, "\n"))
	}
	return m
}

// mergeCompose merges a snippet into a compose file as a user pasting it
// would: maps merge key by key, lists gain the items they lack, scalars
// are replaced.
func mergeCompose(t *testing.T, file string, snippet map[string]any) string {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(file), &m); err != nil {
		t.Fatal(err)
	}
	merged := mergeYAML(m, snippet).(map[string]any)
	out, err := yaml.Marshal(merged)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func mergeYAML(dst, src any) any {
	switch s := src.(type) {
	case map[string]any:
		d, ok := dst.(map[string]any)
		if !ok {
			d = map[string]any{}
		}
		for k, v := range s {
			d[k] = mergeYAML(d[k], v)
		}
		return d
	case []any:
		d, _ := dst.([]any)
		for _, v := range s {
			have := false
			for _, x := range d {
				have = have || fmt.Sprint(x) == fmt.Sprint(v)
			}
			if !have {
				d = append(d, v)
			}
		}
		return d
	case nil:
		if dst != nil {
			return dst
		}
		return map[string]any{} // "back: {}" and "back:" mean the same
	}
	return src
}
