package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMEFirstCommandsWork runs the commands README.md's first lines give
// a newcomer: the check (through the built binary, in place of `go run`) must
// run and judge, and the CI script it names must exist.
func TestREADMEFirstCommandsWork(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Split(string(readme), "\n")
	if len(head) > 8 {
		head = head[:8]
	}
	var checkArgs []string
	var ciScript string
	for _, l := range head {
		l, _, _ = strings.Cut(l, "#")
		f := strings.Fields(l)
		switch {
		case len(f) > 3 && f[0] == "go" && f[1] == "run" && f[2] == "./cmd/tunneldoctor":
			checkArgs = f[3:]
		case len(f) == 2 && f[0] == "bash":
			ciScript = f[1]
		}
	}
	if len(checkArgs) == 0 || checkArgs[0] != "check" || ciScript == "" {
		t.Fatalf("README.md's first lines lack `go run ./cmd/tunneldoctor check ...` and `bash SCRIPT`:\n%s", strings.Join(head, "\n"))
	}
	if fi, err := os.Stat(filepath.Join("../..", ciScript)); err != nil || fi.IsDir() {
		t.Errorf("README names %s: %v", ciScript, err)
	}
	for i, a := range checkArgs {
		if strings.HasPrefix(a, "deploy/") {
			checkArgs[i] = filepath.Join("../..", a) // README paths are from the repo root
		}
	}
	r := run(t, offline, checkArgs...)
	if r.code == 3 || !strings.Contains(r.stdout, "Summary: ") {
		t.Errorf("README's check command does not run: %v", r)
	}
}
