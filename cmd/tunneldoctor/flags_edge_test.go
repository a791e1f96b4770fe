package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent/collect"
)

func TestTokenFromEnvAndFile(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "cf_token")
	if err := os.WriteFile(secret, []byte("  file-token-123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CLOUDFLARE_API_TOKEN", "")
	t.Setenv("CLOUDFLARE_API_TOKEN_FILE", secret)
	if tok, err := tokenFromEnv(); err != nil || tok.Reveal() != "file-token-123" {
		t.Errorf("from file: %q %v", tok.Reveal(), err)
	}
	t.Setenv("CLOUDFLARE_API_TOKEN", "env-token")
	if _, err := tokenFromEnv(); err == nil || !strings.Contains(err.Error(), "both") {
		t.Errorf("both set: %v", err)
	}
	t.Setenv("CLOUDFLARE_API_TOKEN_FILE", "")
	if tok, err := tokenFromEnv(); err != nil || tok.Reveal() != "env-token" {
		t.Errorf("from env: %q %v", tok.Reveal(), err)
	}
	for name, content := range map[string]string{"empty": "\n", "two words": "a b", "huge": strings.Repeat("x", 5000)} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := readTokenFile(p); err == nil {
			t.Errorf("%s token file accepted", name)
		} else if strings.Contains(err.Error(), content) && len(content) > 2 {
			t.Errorf("%s: the error quotes the file's content: %v", name, err)
		}
	}
	if _, err := readTokenFile(filepath.Join(dir, "absent")); err == nil {
		t.Error("a missing token file was accepted")
	}
}

func TestEdgeFlags(t *testing.T) {
	var o collect.Options
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	bindEdgeFlags(fs, &o)
	err := fs.Parse([]string{"--account-id", "023e105f4ecef8ad9ca31a8372d0c353", "--tunnel-id", "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415",
		"--zone", "example.net,example.org", "--no-status-page", "--public-probe", "on"})
	if err != nil {
		t.Fatal(err)
	}
	e := o.Edge
	if e.AccountID != "023e105f4ecef8ad9ca31a8372d0c353" || e.TunnelID == "" || !e.NoStatusPage || e.PublicProbe != collect.PublicProbeOn ||
		strings.Join(e.Zones, " ") != "example.net example.org" || e.Cache == nil || e.Token == nil {
		t.Errorf("edge options = %+v", e)
	}
	for _, bad := range [][]string{{"--public-probe", "sometimes"}, {"--account-id", "example.com"}, {"--tunnel-id", "../zones"},
		{"--api-url", "api.cloudflare.com"}, {"--status-page-url", "ftp://x"}} {
		if err := fs.Parse(bad); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}
	if err := fs.Parse([]string{"--no-public-probe"}); err != nil || o.Edge.PublicProbe != collect.PublicProbeOff {
		t.Errorf("--no-public-probe: %v, mode %q", err, o.Edge.PublicProbe)
	}
}
