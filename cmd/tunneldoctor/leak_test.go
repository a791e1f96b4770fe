package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfapitest"
)

// TestCheckNothingLeaksNothingInjected plants secrets and terminal escape
// sequences where a hostile environment would (a hostname and a service URL
// in the config, the Cloudflare API echoing the token in its error) and
// reads every channel of `check`: text (colour off and on), JSON, and the
// debug log on stderr.
func TestCheckNothingLeaksNothingInjected(t *testing.T) {
	api := cfapitest.New(t)
	api.Set("/user/tokens/verify", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		cfapitest.WriteJSON(w, http.StatusBadRequest, []byte(`{"success":false,"errors":[{"code":6003,"message":"Invalid request headers: token `+tok+` is malformed"}],"messages":[],"result":null}`))
	})
	const urlPassword = "pw-in-url-4711"
	cfg := filepath.Join(t.TempDir(), "config.yml")
	yml := "tunnel: " + cfapitest.Tunnel + "\ningress:\n" +
		`  - hostname: "evil\e]52;c;cHduZWQ=\a\e[2J\e]8;;http://x\e\\.example.com"` + "\n    service: http://admin:" + urlPassword + "@web:8080\n" +
		`  - hostname: "bidi\u202eexe.example.com\r"` + "\n    service: http://web:8080\n" +
		"  - service: http_status:404\n"
	if err := os.WriteFile(cfg, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"TUNNELDOCTOR_DOCKER_HOST=off", "TUNNELDOCTOR_METRICS=off", "TUNNELDOCTOR_NO_PROBE=true", "TUNNELDOCTOR_PUBLIC_PROBE=off",
		"CLOUDFLARE_API_TOKEN=" + cfapitest.Token,
		"TUNNELDOCTOR_API_URL=" + api.BaseURL(), "TUNNELDOCTOR_STATUS_PAGE_URL=" + api.StatusPageURL(),
	}
	args := []string{"--config", cfg, "--account-id", cfapitest.Account, "--log-level", "debug"}
	secrets := []string{cfapitest.Token, urlPassword}

	for _, color := range []string{"never", "always"} {
		r := run(t, env, append([]string{"check", "--output", "text", "--color", color}, args...)...)
		if r.code == exitUsage && !strings.Contains(r.stdout, "evil") {
			t.Fatalf("check did not run: %s", r)
		}
		out := r.stdout + r.stderr
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("--color %s: secret %q in the output:\n%s", color, s, r)
			}
		}
		text := r.stdout
		if color == "always" {
			text = stripSGR(text)
		}
		if bad := strings.IndexFunc(text, func(c rune) bool {
			return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
		}); bad >= 0 {
			t.Errorf("--color %s: a control character reached the text report at %d: %q", color, bad, text[bad:min(len(text), bad+40)])
		}
		if !strings.Contains(r.stdout, `\x1b]52;`) {
			t.Errorf("--color %s: the planted sequence is not shown as an escape:\n%s", color, r.stdout)
		}
		if strings.ContainsAny(r.stderr, "\x1b\a\u202e") {
			t.Errorf("--color %s: a control character reached the log: %q", color, r.stderr)
		}
	}

	r := run(t, env, append([]string{"check", "--output", "json"}, args...)...)
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("JSON report is not JSON: %v\n%s", err, r)
	}
	for _, s := range secrets {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("JSON: secret %q in the output:\n%s", s, r)
		}
	}
	if strings.ContainsAny(r.stdout, "\x1b\a\u202e") {
		t.Errorf("JSON: raw control characters: %s", r.stdout)
	}
	if !strings.Contains(r.stdout, "[REDACTED]") {
		t.Errorf("JSON: no marker, so nothing was planted where it is read:\n%s", r.stdout)
	}
}

// stripSGR removes colour sequences (ESC [ digits m), the only escapes the
// report writes itself.
func stripSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
				j++
			}
			if j < len(s) && s[j] == 'm' {
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
