package deploy

import (
	"strings"
	"testing"
	"time"
)

// TestComposeSidecarStrandedAndRecovers brings deploy/compose.yml up with
// docker-compose (v1: the socket proxy on cloudflared's network, as shipped)
// and strands the sidecar twice, the two ways users do:
//   - `docker restart cloudflared`: cloudflared gets a new network namespace;
//   - re-creating cloudflared alone (`up -d --force-recreate --no-deps
//     cloudflared`, what v1 does after a config change).
//
// Each time the sidecar logs AGT104 (not AGT101's "mount the socket"), its
// /healthz and healthcheck fail, and the finding's fix, applied literally
// (`docker-compose up -d --force-recreate tunneldoctor`), brings back a
// healthy sidecar without AGT104. Finally `docker stop` exits it with 0 and
// no error line.
func TestComposeSidecarStrandedAndRecovers(t *testing.T) {
	p := upCompose(t, "stranded")
	td := p.ps(t, "tunneldoctor")
	if !waitHealth(td, "healthy", 90*time.Second) {
		t.Fatal("sidecar never went healthy")
	}

	strand := func(how string, do func()) {
		t.Helper()
		do()
		at := time.Now()
		var found map[string]any
		if !waitFor(60*time.Second, func() bool {
			found = findLine(t, td, func(f map[string]any) bool { return f["event"] == "finding_opened" && f["code"] == "AGT104" })
			return found != nil
		}) {
			t.Fatalf("%s: no AGT104 within 60s", how)
		}
		t.Logf("%s: AGT104 after %v: %v", how, time.Since(at).Round(100*time.Millisecond), found["message"])
		fix, _ := found["fix"].(string)
		if !strings.Contains(fix, "docker-compose up -d --force-recreate tunneldoctor") || !strings.Contains(fix, "docker compose up -d --force-recreate tunneldoctor") {
			t.Errorf("%s: AGT104's fix does not name the recovery: %q", how, fix)
		}
		if f := findLine(t, td, func(f map[string]any) bool { return f["event"] == "finding_opened" && f["code"] == "AGT101" }); f != nil {
			t.Errorf("%s: AGT101 (mount the socket) was logged: %v", how, f["message"])
		}
		// /healthz itself fails (the healthcheck command's --live asks it).
		if !waitFor(20*time.Second, func() bool {
			_, err := runErr(time.Minute, nil, "docker", "exec", td, "/usr/local/bin/tunneldoctor", "healthcheck", "--live")
			return err != nil
		}) {
			t.Errorf("%s: /healthz stayed 200 while stranded", how)
		}
		if !waitHealth(td, "unhealthy", 30*time.Second) {
			t.Errorf("%s: the healthcheck did not turn unhealthy", how)
		}
		// The fix, literally.
		if _, err := p.dc("up", "-d", "--force-recreate", "tunneldoctor"); err != nil {
			t.Fatalf("%s: applying the fix: %v", how, err)
		}
		td = p.ps(t, "tunneldoctor")
		if !waitHealth(td, "healthy", 90*time.Second) {
			t.Fatalf("%s: the re-created sidecar never went healthy", how)
		}
		if f := findLine(t, td, func(f map[string]any) bool { return f["code"] == "AGT104" }); f != nil {
			t.Errorf("%s: the re-created sidecar still reports AGT104: %v", how, f["message"])
		}
	}
	strand("docker restart cloudflared", func() { run(t, time.Minute, nil, "docker", "restart", "-t", "1", p.ps(t, "cloudflared")) })
	strand("cloudflared re-created alone", func() {
		if _, err := p.dc("up", "-d", "--force-recreate", "--no-deps", "cloudflared"); err != nil {
			t.Fatal(err)
		}
	})

	// A stop is clean: exit 0, no error line.
	run(t, time.Minute, nil, "docker", "stop", "-t", "10", td)
	if code := run(t, time.Minute, nil, "docker", "inspect", "--format", "{{.State.ExitCode}}", td); code != "0" {
		t.Errorf("docker stop: the sidecar exited %s, want 0", code)
	}
	if logs, _ := runErr(time.Minute, nil, "docker", "logs", td); strings.Contains(logs, "listener failed") || strings.Contains(logs, `"level":"error","message"`) {
		t.Errorf("docker stop logged an error:\n%s", tail([]byte(logs), 2000))
	}
}
