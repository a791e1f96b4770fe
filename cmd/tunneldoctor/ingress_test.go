package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestIngressValidateAcceptsTheExample(t *testing.T) {
	r := run(t, nil, "ingress", "validate", "--config", example("config.yml"))
	if r.code != 0 || !strings.Contains(r.stdout, "Validating rules from ") || !strings.Contains(r.stdout, "\nOK") {
		t.Errorf("%v", r)
	}
	// The file as the only argument, and from the environment.
	if r := run(t, nil, "ingress", "validate", example("config.yml")); r.code != 0 {
		t.Errorf("positional file: %v", r)
	}
	if r := run(t, []string{"TUNNELDOCTOR_CONFIG=" + example("config.yml")}, "ingress", "validate"); r.code != 0 {
		t.Errorf("TUNNELDOCTOR_CONFIG: %v", r)
	}
}

func TestIngressValidateListsEveryProblem(t *testing.T) {
	r := run(t, nil, "ingress", "validate", "--config", example("broken.yml"))
	if r.code != 1 {
		t.Fatalf("broken.yml: %v", r)
	}
	// One line per mistake in broken.yml, each with its line number.
	for _, want := range []string{
		"line 10", // localhost
		"line 12", // hostname with a port
		"line 16", // service without a scheme
		"line 19", // service with a path
		"line 24", // noTlsVerify misspelt
		"line 26", // wildcard in the middle
		"line 29", // last rule not a catch-all
		// The closing line counts what the list shows: errors, the warning
		// (the misspelt key) and the note (localhost) apart.
		"Validation failed: 5 errors (1 warning, 1 note)",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "noTLSVerify") {
		t.Errorf("the misspelt key has no did-you-mean:\n%s", r.stdout)
	}
}

func TestIngressValidateJSON(t *testing.T) {
	for file, wantValid := range map[string]bool{"config.yml": true, "broken.yml": false} {
		r := run(t, nil, "ingress", "validate", "--config", example(file), "--output", "json")
		var got struct {
			Valid    *bool             `json:"valid"`
			Problems []json.RawMessage `json:"problems"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("%s: %v\n%v", file, err, r)
		}
		if got.Valid == nil || *got.Valid != wantValid || (r.code == 0) != wantValid {
			t.Errorf("%s: valid=%v exit=%d, want valid=%v", file, got.Valid, r.code, wantValid)
		}
		if got.Problems == nil || !strings.Contains(r.stdout, `"problems": [`) {
			t.Errorf("%s: problems is not a list:\n%s", file, r.stdout)
		}
		if wantValid {
			continue
		}
		var fatal int
		for _, raw := range got.Problems {
			var p map[string]any
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"rule", "field", "line", "message", "severity", "code", "fix"} {
				if _, ok := p[k]; !ok {
					t.Errorf("%s: problem lacks %q: %s", file, k, raw)
				}
			}
			if p["severity"] == "error" {
				fatal++
				if p["code"] == "" {
					t.Errorf("%s: fatal problem without a finding code: %s", file, raw)
				}
			}
		}
		if fatal == 0 {
			t.Errorf("%s: no problem has severity error", file)
		}
	}
}

func TestIngressValidateBadInput(t *testing.T) {
	// A file tunneldoctor cannot read is not a verdict on it: 3, not the 1
	// of "cloudflared would reject the file".
	r := run(t, nil, "ingress", "validate", "--config", "testdata/does-not-exist.yml")
	if r.code != 3 || !strings.Contains(r.stderr, "does-not-exist.yml") {
		t.Errorf("missing file: %v", r)
	}
	if r := run(t, nil, "ingress", "validate", "--config", "testdata"); r.code != 3 || !strings.Contains(r.stderr, "is a directory") {
		t.Errorf("a directory: %v", r)
	}
	if r := run(t, nil, "ingress", "validate"); r.code != 3 || !strings.Contains(r.stderr, "--config FILE is required") {
		t.Errorf("no --config: %v", r)
	}
	if r := run(t, nil, "ingress", "validate", "--config", example("config.yml"), "--output", "xml"); r.code != 3 {
		t.Errorf("--output xml: %v", r)
	}
}

func TestIngressRule(t *testing.T) {
	cfg := example("config.yml")
	cases := []struct {
		url, want string
	}{
		{"https://app.example.com/api/users", "Matched rule #0\n\thostname: app.example.com\n\tpath: ^/api/\n\tservice: http://api:8080\n"},
		{"https://app.example.com/", "Matched rule #1\n\thostname: app.example.com\n\tservice: http://web:3000\n"},
		{"https://a.b.dev.example.com/x", "Matched rule #3\n"},
		{"https://dev.example.com/", "Matched rule #4\n\tservice: http_status:404\n"}, // *. does not match the apex
		{"https://unknown.example.org", "Matched rule #4\n"},
	}
	for _, c := range cases {
		r := run(t, nil, "ingress", "rule", "--config", cfg, c.url)
		if r.code != 0 || !strings.HasPrefix(r.stdout, c.want) {
			t.Errorf("%s: %v\nwant prefix %q", c.url, r, c.want)
		}
	}
	// Flags after the URL, and JSON.
	r := run(t, nil, "ingress", "rule", "https://app.example.com/api/v2", "--config", cfg, "--output", "json")
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
		t.Fatalf("%v (%v)", r, err)
	}
	want := map[string]any{"rule": float64(0), "hostname": "app.example.com", "path": "^/api/", "service": "http://api:8080"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("json %s = %v, want %v", k, got[k], v)
		}
	}
}

func TestIngressRuleRefusesAnInvalidConfig(t *testing.T) {
	r := run(t, nil, "ingress", "rule", "--config", example("broken.yml"), "https://app.example.com/")
	if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, "Validation failed") {
		t.Errorf("%v", r)
	}
	if r := run(t, nil, "ingress", "rule", "--config", example("config.yml")); r.code != 3 {
		t.Errorf("no URL: %v", r)
	}
}

// ingress rule: input it cannot use exits 3 with the reason on stderr; 1 is
// kept for a config cloudflared would reject.
func TestIngressRuleBadInputExits3(t *testing.T) {
	cfg := example("config.yml")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no URL", []string{"--config", cfg}, "want exactly one URL"},
		{"two URLs", []string{"--config", cfg, "https://a.example.com", "https://b.example.com"}, "want exactly one URL"},
		{"malformed URL", []string{"--config", cfg, "http://[::1"}, "is not a valid URL"},
		{"URL without hostname", []string{"--config", cfg, "/just/a/path"}, "doesn't have a hostname"},
		{"missing file", []string{"--config", "testdata/does-not-exist.yml", "https://app.example.com/"}, "does-not-exist.yml"},
		{"no --config", []string{"https://app.example.com/"}, "--config FILE is required"},
		{"malformed URL, invalid config", []string{"--config", example("broken.yml"), "http://[::1"}, "is not a valid URL"},
	} {
		r := run(t, nil, append([]string{"ingress", "rule"}, c.args...)...)
		if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: %v, want exit 3 and %q on stderr", c.name, r, c.want)
		}
	}
}
