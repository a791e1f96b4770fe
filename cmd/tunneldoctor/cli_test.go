package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent/checks"
)

func TestHelpOnEveryCommand(t *testing.T) {
	lists := [][]string{{"--help"}, {"help"}, {"ingress", "--help"}, {"docs", "-h"}}
	leaves := [][]string{
		{"check", "--help"}, {"ingress", "validate", "--help"}, {"ingress", "rule", "-h"},
		{"explain", "--help"}, {"version", "--help"}, {"docs", "codes", "--help"}, {"help", "check"},
	}
	for _, args := range append(lists, leaves...) {
		r := run(t, nil, args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: tunneldoctor") || r.stderr != "" {
			t.Errorf("%v: %v", args, r)
		}
	}
	for _, args := range leaves {
		if r := run(t, nil, args...); !strings.Contains(r.stdout, "Example") {
			t.Errorf("%v: help has no examples:\n%s", args, r.stdout)
		}
	}
	r := run(t, nil, "check", "--help")
	for _, want := range []string{"-config", "-output", "-fail-on", "Exit codes:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check --help lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestNoCommandIsAUsageError(t *testing.T) {
	r := run(t, nil)
	if r.code != 3 || !strings.Contains(r.stderr, "Commands:") {
		t.Errorf("%v", r)
	}
}

func TestUnknownCommandSuggests(t *testing.T) {
	r := run(t, nil, "chek")
	if r.code != 3 || !strings.Contains(r.stderr, `unknown command "chek"; did you mean check?`) {
		t.Errorf("%v", r)
	}
	r = run(t, nil, "ingress", "valdate")
	if r.code != 3 || !strings.Contains(r.stderr, "did you mean validate?") {
		t.Errorf("%v", r)
	}
}

func TestUnknownFlagIsAUsageError(t *testing.T) {
	r := run(t, nil, "check", "--confg", "x.yml")
	if r.code != 3 || !strings.Contains(r.stderr, "flag provided but not defined: -confg") {
		t.Errorf("%v", r)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := run(t, nil, args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "tunneldoctor "+testVersion+"\n") || !strings.Contains(r.stdout, "go1.") {
			t.Errorf("%v: %v", args, r)
		}
	}
}

func TestExplain(t *testing.T) {
	r := run(t, nil, "explain", "agt000")
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	for _, want := range []string{"AGT000  A check crashed", "Hop:", "Severity: error", "Fix:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("explain lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(t, nil, "explain", "AGT00")
	if r.code != 3 || !strings.Contains(r.stderr, `unknown code "AGT00"; did you mean AGT000`) {
		t.Errorf("%v", r)
	}
	r = run(t, nil, "explain")
	if r.code != 3 {
		t.Errorf("explain without a code: %v", r)
	}
	r = run(t, nil, "explain", "--list")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "CODE") || !strings.Contains(r.stdout, "AGT000") {
		t.Errorf("%v", r)
	}
}

func TestDocsCodes(t *testing.T) {
	r := run(t, nil, "docs", "codes")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "| Code | Hop | Severity | Title |") || !strings.Contains(r.stdout, "| `AGT000` |") {
		t.Errorf("%v", r)
	}
	// docs is hidden from the command list but runs.
	if l := run(t, nil, "--help"); strings.Contains(l.stdout, "docs") {
		t.Errorf("hidden docs command listed:\n%s", l.stdout)
	}
}

func TestExplainEveryCode(t *testing.T) {
	for _, c := range checks.Documented() {
		var out, errOut bytes.Buffer
		code := runExplain(context.Background(), stdio{out: &out, err: &errOut}, []string{strings.ToLower(c.Code)})
		if code != 0 || !strings.HasPrefix(out.String(), c.Code+"  "+c.Title+"\n") || !strings.Contains(out.String(), "Fix:\n  ") {
			t.Errorf("explain %s: exit %d\n%s%s", c.Code, code, out.String(), errOut.String())
		}
	}
}
