package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAccountFromCredentialsFile: --account-id's help says the default comes
// from cloudflared's credentials file; it does, and the secret beside it
// shows nowhere.
func TestAccountFromCredentialsFile(t *testing.T) {
	dir := t.TempDir()
	const (
		account = "0123456789abcdef0123456789abcdef"
		tunnel  = "6ff42ae2-765d-4adf-8112-31c55c1551ef"
		secret  = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="
	)
	creds := filepath.Join(dir, tunnel+".json")
	if err := os.WriteFile(creds, []byte(`{"AccountTag":"`+account+`","TunnelSecret":"`+secret+`","TunnelID":"`+tunnel+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfg, []byte("credentials-file: "+creds+"\ningress:\n  - hostname: app.example.com\n    service: http://web:8080\n  - service: http_status:404\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, got := checkJSON(t, offline, "--config", cfg, "--log-level", "debug")
	tun := got["tunnel"].(map[string]any)
	if tun["account"] != account || tun["id"] != tunnel {
		t.Errorf("tunnel = %v, want account %s and id %s from %s", tun, account, tunnel, creds)
	}
	if strings.Contains(r.stdout+r.stderr, secret) {
		t.Error("the tunnel secret appears in the output")
	}
	text := run(t, offline, "check", "--config", cfg, "--verbose")
	if !strings.Contains(text.stdout, "account: "+account) || strings.Contains(text.stdout+text.stderr, secret) {
		t.Errorf("text report: account missing or secret shown:\n%s", text.stdout)
	}
}
