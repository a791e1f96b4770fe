package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfapitest"
)

// TestCheckAgainstTheAPI runs the built binary as a user would, with an API
// token, against the local API stand-in: the Cloudflare-side problems of the
// fixtures are reported, and the token shows nowhere, debug logs included.
func TestCheckAgainstTheAPI(t *testing.T) {
	api := cfapitest.New(t)
	cfg := filepath.Join(t.TempDir(), "config.yml")
	var b strings.Builder
	b.WriteString("tunnel: " + cfapitest.Tunnel + "\ningress:\n")
	for _, h := range []string{"app.example.com", "api.example.com", "old.example.com", "direct.example.com", "missing.example.com", "shop.example.net"} {
		b.WriteString("  - hostname: " + h + "\n    service: http://web:8080\n")
	}
	b.WriteString("  - service: http_status:404\n")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"TUNNELDOCTOR_DOCKER_HOST=off", "TUNNELDOCTOR_NO_PROBE=true", "TUNNELDOCTOR_PUBLIC_PROBE=off", "TUNNELDOCTOR_METRICS=off",
		"CLOUDFLARE_API_TOKEN=" + cfapitest.Token,
		"TUNNELDOCTOR_API_URL=" + api.BaseURL(), "TUNNELDOCTOR_STATUS_PAGE_URL=" + api.StatusPageURL(),
	}
	r, got := checkJSON(t, env, "--config", cfg, "--account-id", cfapitest.Account, "--log-level", "debug")
	if r.code != 2 {
		t.Errorf("exit %d, want 2:\n%v", r.code, r)
	}
	codes := map[string]string{}
	for _, f := range got["findings"].([]any) {
		f := f.(map[string]any)
		codes[f["code"].(string)] += f["hostname"].(string) + " "
	}
	for code, host := range map[string]string{"CF011": "shop.example.net", "CF020": "missing.example.com", "CF021": "api.example.com",
		"CF022": "old.example.com", "CF023": "direct.example.com", "CF060": ""} {
		if h, ok := codes[code]; !ok || !strings.Contains(h, host) {
			t.Errorf("%s for %q missing; codes: %v", code, host, codes)
		}
	}
	if strings.Contains(r.stdout+r.stderr, cfapitest.Token) {
		t.Error("the API token appears in the output")
	}
	if api.Calls("/user/tokens/verify") != 1 {
		t.Errorf("token verified %d times", api.Calls("/user/tokens/verify"))
	}
}
