package deploy

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// composeOverride adapts deploy/compose.yml to this machine: an origin
// service, the stand-in's remote ingress, a short interval, and nothing
// that would leave the machine (no status page, no visitor probe, no API
// token; the stand-in dials nothing; the origin's name always resolves).
// ORIGIN_SERVICE is the origin's compose service name, unique per run:
// other packages' tests on the same daemon run containers and services
// called "web", and tunneldoctor's reasoning sees every container.
const composeOverride = `version: "2.4"
services:
  cloudflared:
    environment:
      STANDIN_CONFIG_JSON: '{"ingress":[{"hostname":"app.example.com","service":"http://ORIGIN_SERVICE:8080"},{"service":"http_status:404"}]}'
  tunneldoctor:
    environment:
      TUNNELDOCTOR_INTERVAL: 3s
      TUNNELDOCTOR_NO_STATUS_PAGE: "1"
      TUNNELDOCTOR_PUBLIC_PROBE: "off"
      TUNNELDOCTOR_LOG_LEVEL: debug
    healthcheck:
      interval: 2s
      start_period: 3s
      retries: 1
  ORIGIN_SERVICE:
    image: ${ORIGIN_IMAGE}
    command: ["--listen", ":8080"]
    networks: [origins]
`

// TestComposeSidecarReportsBrokenOrigin brings deploy/compose.yml up with
// docker-compose (v1) on images built here: the stand-in tagged as
// cloudflare/cloudflared, tunneldoctor built offline, HAProxy from Debian's
// binary on scratch as the socket proxy. The sidecar must go healthy, then
// report the origin it can no longer reach, and its healthcheck must fail.
func TestComposeSidecarReportsBrokenOrigin(t *testing.T) {
	p := upCompose(t, "compose")
	td := p.ps(t, "tunneldoctor")

	// The sidecar runs as nonroot and its healthcheck goes healthy: the
	// tunnel is connected and the origin passes.
	if user := run(t, time.Minute, nil, "docker", "inspect", "--format", "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}}", td); user != "65532:65532 true [ALL]" {
		t.Errorf("sidecar user/read-only/caps = %q, want 65532:65532 true [ALL]", user)
	}
	if !waitHealth(td, "healthy", 90*time.Second) {
		out, _ := runErr(time.Minute, nil, "docker", "exec", td, "/usr/local/bin/tunneldoctor", "healthcheck")
		t.Fatalf("sidecar never went healthy; healthcheck says:\n%s", out)
	}
	if uid := run(t, time.Minute, nil, "docker", "top", td, "-o", "pid,uid"); !strings.Contains(uid, "65532") {
		t.Errorf("sidecar process uid: %q, want 65532", uid)
	}

	// Break the origin (paused: its name still resolves, so no lookup
	// leaves the machine): the sidecar logs a finding_opened error about
	// the hostname, and its healthcheck turns unhealthy.
	since := time.Now()
	if _, err := p.dc("pause", p.web); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = p.dc("unpause", p.web) })
	var found map[string]any
	ok := waitFor(60*time.Second, func() bool {
		found = findLine(t, td, func(f map[string]any) bool {
			return f["event"] == "finding_opened" && f["severity"] == "error" && f["hostname"] == "app.example.com"
		})
		return found != nil
	})
	if !ok {
		t.Fatal("the sidecar did not report the paused origin within 60s")
	}
	t.Logf("sidecar reported %v (%v) %v after the origin was paused; fix: %v", found["code"], found["hop"], time.Since(since).Round(time.Second), found["fix"])
	if os.Getenv("TD_DEBUG_COMPOSE") != "" {
		l, _ := runErr(time.Minute, nil, "docker", "logs", "--since", since.Add(-2*time.Second).Format(time.RFC3339Nano), td)
		t.Logf("sidecar logs since the pause:\n%s", l)
	}
	if !waitHealth(td, "unhealthy", 30*time.Second) {
		t.Error("the sidecar's healthcheck did not turn unhealthy with the origin down")
	}
	logs := run(t, time.Minute, nil, "docker", "logs", td)
	if strings.Contains(logs, fakeTunnelToken) {
		t.Error("the sidecar's logs contain the tunnel token")
	}
}

// composeProject is deploy/compose.yml with the shipped socket proxy
// config, unchanged, and composeOverride, up under docker-compose (v1).
type composeProject struct {
	compose, name, dir string
	env                []string
	web                string // the origin's compose service, web-<random>
}

// upCompose brings the project up on images built here: the stand-in
// tagged as cloudflare/cloudflared, tunneldoctor built offline, HAProxy
// from Debian's binary on scratch as the socket proxy. It is taken down
// when the test ends, its logs shown first if the test failed.
func upCompose(t *testing.T, name string) *composeProject {
	t.Helper()
	dockertest.RequireDocker(t)
	compose := dockertest.RequireProgram(t, "docker-compose", "docker-compose")
	tdImage := tunneldoctorImage(t)
	proxyImage := haproxyImage(t)
	originImage := dockertest.OriginImage(t, "")
	cfTag := strings.TrimPrefix(dockertest.Name("cf"), dockertest.Prefix)
	cfImage := "cloudflare/cloudflared:tdtest-" + cfTag
	run(t, time.Minute, nil, "docker", "tag", dockertest.CloudflaredImage(t, dockertest.StandinPackage), cfImage)
	cleanupImage(cfImage)

	dir := t.TempDir()
	copyFile(t, filepath.Join(repoRoot(t), "deploy", "compose.yml"), filepath.Join(dir, "compose.yml"))
	copyFile(t, filepath.Join(repoRoot(t), "deploy", "socket-proxy", "haproxy.cfg"), filepath.Join(dir, "socket-proxy", "haproxy.cfg"))
	if err := os.MkdirAll(filepath.Join(dir, "cloudflared"), 0o755); err != nil {
		t.Fatal(err)
	}
	web := strings.TrimPrefix(dockertest.Name("web"), dockertest.Prefix)
	writeFile(t, filepath.Join(dir, "compose.test.yml"), strings.ReplaceAll(composeOverride, "ORIGIN_SERVICE", web))
	p := &composeProject{compose: compose, name: dockertest.Name(name), dir: dir, web: web, env: []string{
		"TUNNEL_TOKEN=" + fakeTunnelToken,
		"CLOUDFLARED_VERSION=tdtest-" + cfTag,
		"TUNNELDOCTOR_IMAGE=" + tdImage,
		"SOCKET_PROXY_IMAGE=" + proxyImage,
		"ORIGIN_IMAGE=" + originImage,
		"TUNNELDOCTOR_PORT=" + freePort(t, "tcp"),
	}}
	t.Cleanup(func() {
		if t.Failed() {
			logs, _ := p.dc("logs", "--no-color", "--tail", "80")
			t.Logf("compose logs:\n%s", tail([]byte(logs), 10000))
		}
		if _, err := p.dc("down", "-v", "--remove-orphans", "-t", "2"); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	if _, err := p.dc("up", "-d"); err != nil {
		t.Fatalf("docker-compose up: %v", err)
	}
	return p
}

// dc runs docker-compose with args on the project.
func (p *composeProject) dc(args ...string) (string, error) {
	base := []string{"-p", p.name, "-f", filepath.Join(p.dir, "compose.yml"), "-f", filepath.Join(p.dir, "compose.test.yml")}
	return runErr(3*time.Minute, p.env, p.compose, append(base, args...)...)
}

// ps is the ID of service's container; the test fails without one.
func (p *composeProject) ps(t *testing.T, service string) string {
	t.Helper()
	id, err := p.dc("ps", "-q", service)
	if err != nil || id == "" {
		t.Fatalf("no %s container: %v", service, err)
	}
	return id
}

func waitHealth(id, want string, timeout time.Duration) bool {
	return waitFor(timeout, func() bool {
		out, err := runErr(time.Minute, nil, "docker", "inspect", "--format", "{{if .State.Health}}{{.State.Health.Status}}{{end}}", id)
		return err == nil && out == want
	})
}

// findLine returns the first JSON line of the container's stdout that
// matches, or nil.
func findLine(t *testing.T, id string, match func(map[string]any) bool) map[string]any {
	t.Helper()
	cmd := exec.Command("docker", "logs", id)
	out, err := cmd.Output() // stdout only: the state changes
	if err != nil {
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var f map[string]any
		if json.Unmarshal(sc.Bytes(), &f) == nil && match(f) {
			return f
		}
	}
	return nil
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(b))
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
