package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// TestWatchHoldsFindingsWhenMetricsGoAway: a locally managed stand-in
// cloudflared runs a localhost rule (ING022) from a file that was edited
// after it started (TUN014). Then its metrics server becomes unreachable
// mid-watch (its only network is disconnected; the container keeps
// running): the ingress falls back to the edited file, which has neither
// problem. Both findings, and NET002 about the live localhost rule, are
// held, not resolved, with a single
// findings_held line; when the metrics server is back they are still open,
// and nothing was resolved on the way.
func TestWatchHoldsFindingsWhenMetricsGoAway(t *testing.T) {
	dockertest.RequireDocker(t)
	netName := dockertest.Network(t, "facts", dockertest.NetworkOptions{})
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "config.yml")
	write := func(service string) {
		t.Helper()
		yml := "ingress:\n  - hostname: app.example.com\n    service: " + service + "\n  - service: http_status:404\n"
		if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("http://localhost:8080")
	cf := dockertest.Run(t, dockertest.Spec{
		Name: "cloudflared", Image: dockertest.CloudflaredImage(t, standinPackage), Network: netName,
		Volumes: []string{dir + ":/etc/cloudflared:ro"},
		Args:    []string{"tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:20241", "--config", "/etc/cloudflared/config.yml", "run"},
		Env:     []string{"TUNNEL_TOKEN=" + fakeToken},
	})
	waitStandinReady(t, cf.ID)
	// The file changes after cloudflared started: cloudflared still runs
	// the localhost rule.
	write("http://" + dockertest.Name("web") + ":8080")

	w := startWatch(t, "--cloudflared", cf.Name, "--config", file, "--interval", "2s", "--listen", "off",
		"--no-probe", "--no-status-page", "--no-public-probe")
	w.opened(t, 0, "ING022", 60*time.Second)
	w.opened(t, 0, "TUN014", 60*time.Second)

	from := w.out.len()
	dockertest.Docker(t, "network", "disconnect", netName, cf.ID)
	if _, ok := w.out.waitLine(from, 30*time.Second, func(f map[string]any) bool { return f["event"] == "findings_held" }); !ok {
		t.Fatal("no findings_held line within 30s of the metrics server going away")
	}
	w.waitFullRuns(t, from, 4, 60*time.Second) // well past the two runs that would resolve them
	held := 0
	for _, ln := range w.out.since(from) {
		switch ln.fields["event"] {
		case "finding_resolved":
			if c := ln.fields["code"]; c == "ING022" || c == "TUN014" || c == "NET002" {
				t.Errorf("%v resolved while its facts were missing: %s", c, ln.raw)
			}
		case "findings_held":
			held++
		}
	}
	if held != 1 {
		t.Errorf("%d findings_held lines during one outage, want 1", held)
	}

	// The metrics server is back: the same findings, still open (neither
	// resolved nor opened again). (The findings the disconnect itself
	// caused, NET004 and TUN009, come and go: those are real.)
	from = w.out.len()
	dockertest.Docker(t, "network", "connect", netName, cf.ID)
	w.waitFullRuns(t, from, 4, 60*time.Second)
	for _, ln := range w.out.since(from) {
		if c := ln.fields["code"]; isFindingEvent(ln.fields) && (c == "ING022" || c == "TUN014" || c == "NET002") {
			t.Errorf("after the metrics server came back: %s", ln.raw)
		}
	}
}
