package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// offline keeps `check` on the facts the test gives it: no Docker (other
// tests' containers would change the verdict), no cloudflared metrics server
// (a real cloudflared on this machine's default ports would answer), no
// origin probes or status page (they would leave this machine), no API token.
var offline = []string{
	"TUNNELDOCTOR_DOCKER_HOST=off",
	"TUNNELDOCTOR_METRICS=off",
	"TUNNELDOCTOR_NO_PROBE=true",
	"TUNNELDOCTOR_PUBLIC_PROBE=off",
	"TUNNELDOCTOR_NO_STATUS_PAGE=true",
	// Hermetic: a cloudflared on this machine's default metrics ports
	// (20241-20245) must not become the run's cloudflared.
	"TUNNELDOCTOR_METRICS=off",
}

// checkJSON runs `check --output json` and decodes the report.
func checkJSON(t *testing.T, env []string, args ...string) (result, map[string]any) {
	t.Helper()
	r := run(t, env, append([]string{"check", "--output", "json"}, args...)...)
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%v", err, r)
	}
	return r, got
}

func TestCheckWithOnlyAConfigFile(t *testing.T) {
	r, got := checkJSON(t, offline, "--config", example("config.yml"))
	if float64(r.code) != got["exit_code"] {
		t.Errorf("process exit %d, JSON exit_code %v", r.code, got["exit_code"])
	}
	if r.code == 2 || r.code == 3 {
		t.Errorf("a valid config with nothing else to check exits %d:\n%v", r.code, r)
	}
	fs, ok := got["findings"].([]any)
	if !ok {
		t.Fatalf("findings is not a list: %v", got["findings"])
	}
	for _, f := range fs {
		f := f.(map[string]any)
		if strings.HasPrefix(f["code"].(string), "ING") && f["severity"] == "skipped" {
			t.Errorf("an ingress config check was skipped although the config was read: %v", f)
		}
	}
}

func TestCheckReportsABrokenConfig(t *testing.T) {
	r, got := checkJSON(t, offline, "--config", example("broken.yml"))
	if r.code != 2 || got["exit_code"] != float64(2) {
		t.Errorf("broken.yml: exit %d, want 2 (errors)\n%v", r.code, r)
	}
	// --fail-on error does not change an error verdict.
	if r := run(t, offline, "check", "--config", example("broken.yml"), "--fail-on", "error"); r.code != 2 {
		t.Errorf("--fail-on error: exit %d", r.code)
	}
	// Text report: grouped by hostname, readable on 80 columns, no colour in a pipe.
	r = run(t, offline, "check", "--config", example("broken.yml"))
	for _, want := range []string{"tunneldoctor report", "\napi.example.com:443\n", "Summary: ", "Exit code 2."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text report lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("colour codes written to a pipe")
	}
	if r := run(t, offline, "check", "--config", example("broken.yml"), "--color", "always"); !strings.Contains(r.stdout, "\x1b[1;31m") {
		t.Error("--color always wrote no colour")
	}
}

func TestCheckWithoutTheTunnelCannotRun(t *testing.T) {
	r, got := checkJSON(t, offline, "--config", "testdata/does-not-exist.yml")
	if r.code != 3 || got["exit_code"] != float64(3) || !strings.Contains(r.stderr, "could not examine the tunnel") ||
		!strings.Contains(r.stderr, "does-not-exist.yml") {
		t.Errorf("a run that saw no tunnel: %v", r)
	}
}

func TestCheckBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--fail-on", "sometimes"},
		{"check", "--output", "yaml"},
		{"check", "--log-level", "loud"},
		{"check", "stray-argument"},
	} {
		if r := run(t, offline, args...); r.code != 3 || r.stderr == "" {
			t.Errorf("%v: %v", args, r)
		}
	}
}

// TestCheckNeverShowsTheToken runs with a token in the config and debug
// logging, and looks for it (and its decoded secret) in every output.
func TestCheckNeverShowsTheToken(t *testing.T) {
	raw, err := os.ReadFile("testdata/with-token.yml")
	if err != nil {
		t.Fatal(err)
	}
	var token string
	for _, l := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(l, "token: "); ok {
			token = strings.TrimSpace(v)
		}
	}
	if token == "" {
		t.Fatal("testdata/with-token.yml has no token line")
	}
	secrets := []string{token, token[:32], "c2VjcmV0c2VjcmV0c2VjcmV0"}
	for _, output := range []string{"text", "json"} {
		r := run(t, offline, "check", "--config", "testdata/with-token.yml", "--output", output, "--log-level", "debug")
		if r.code == 3 {
			t.Fatalf("%v", r)
		}
		for _, s := range secrets {
			if strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s) {
				t.Errorf("--output %s shows the secret %q:\n%v", output, s, r)
			}
		}
	}
	for _, args := range [][]string{
		{"ingress", "validate", "--config", "testdata/with-token.yml", "--log-level", "debug"},
		{"ingress", "validate", "--config", "testdata/with-token.yml", "--output", "json"},
		{"ingress", "rule", "--config", "testdata/with-token.yml", "https://app.example.com/"},
	} {
		r := run(t, nil, args...)
		for _, s := range secrets {
			if strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s) {
				t.Errorf("%v shows the secret %q:\n%v", args, s, r)
			}
		}
	}
}
