package collect_test

import (
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// These tests run the stand-in cloudflared as a local process (loopback
// only) and collect from it the way `tunneldoctor check --metrics ADDR`
// does for a cloudflared installed on a host without Docker.

const cfTunnelID = "6ff42ae2-765d-4adf-8112-31c55c1551ef"

func cfToken() string {
	return base64.StdEncoding.EncodeToString([]byte(`{"a":"0123456789abcdef0123456789abcdef","t":"` + cfTunnelID + `","s":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}`))
}

func TestMain(m *testing.M) { os.Exit(dockertest.Main(m)) } // removes the stand-in binary

// runStandin builds and starts the stand-in and returns its metrics address
// once it has connected (or given up, for failure modes).
func runStandin(t *testing.T, env []string, args ...string) string {
	t.Helper()
	bin := dockertest.Program(t, dockertest.StandinPackage)
	cmd := exec.Command(bin, args...)
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "TUNNEL_TOKEN=" + cfToken()}, env...)
	out := &dockertest.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	// Up means: the metrics server listens, and either all four
	// connections registered (and the dashboard's config, when the test
	// gives one, was pushed: the stand-in logs each after applying it) or
	// the edge refused the token.
	pushes := slices.ContainsFunc(env, func(e string) bool { return strings.HasPrefix(e, "STANDIN_CONFIG_JSON=") })
	var addr string
	dockertest.Eventually(t, 10*time.Second, "the stand-in to come up", func() (bool, string) {
		registered, pushed, refused := 0, false, false
		for _, e := range cloudflared.Classify(strings.Split(out.String(), "\n"), nil) {
			switch e.Kind {
			case cloudflared.KindMetricsStarted:
				addr = e.Addr
			case cloudflared.KindRegistered:
				registered++
			case cloudflared.KindConfigUpdated:
				pushed = true
			case cloudflared.KindUnauthorized:
				refused = true
			}
		}
		up := registered >= 4 && (pushed || !pushes)
		return addr != "" && (up || refused), "\n" + out.String()
	})
	return addr
}

func writeConfig(t *testing.T, path, service string) {
	t.Helper()
	body := "ingress:\n  - hostname: app.example.com\n    service: " + service + "\n  - service: http_status:404\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// collectHost collects as on a host without Docker: --metrics and --config.
func collectHost(t *testing.T, metrics, config string, local ...string) (*agent.Snapshot, map[string]agent.Finding) {
	t.Helper()
	opts := collect.Options{}
	// Only the test's own servers: a real cloudflared on this machine's
	// default ports must not change the verdict.
	opts.Cloudflared.LocalAddrs = append([]string{}, local...)
	opts.Docker.Disabled = "Docker not used in this test"
	opts.Probes.Disabled = "probes not used in this test"
	opts.Edge.Disabled = "edge not used in this test"
	opts.Cloudflared.Metrics = metrics
	opts.Cloudflared.Timeout = time.Second
	opts.Ingress.ConfigPath = config
	s := collect.Snapshot(context.Background(), opts)
	found := map[string]agent.Finding{}
	for _, f := range agent.Run(s, checks.All()) {
		if strings.HasPrefix(f.Code, "TUN") && f.Severity != agent.Skipped {
			found[f.Code] = f
		}
	}
	return s, found
}

func TestCollectHostInstallLocalConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yml")
	writeConfig(t, cfg, "http://web:8080")
	addr := runStandin(t, nil, "tunnel", "--config", cfg, "--metrics", "127.0.0.1:0", "run")
	s, found := collectHost(t, addr, cfg)

	if s.Cloudflared.Ready == nil || s.Cloudflared.Ready.Status != 200 || s.Cloudflared.Ready.ReadyConnections != 4 {
		t.Errorf("ready = %+v (%s)", s.Cloudflared.Ready, s.Cloudflared.ReadyError)
	}
	if s.Tunnel.Connected == nil || !*s.Tunnel.Connected || s.Tunnel.ID != cfTunnelID ||
		s.Tunnel.ConfigSource != agent.ConfigSourceLocal || s.Tunnel.ConfigVersion != -1 {
		t.Errorf("tunnel = %+v", s.Tunnel)
	}
	if s.Ingress.Config == nil || s.Ingress.Config != s.Ingress.File || s.Cloudflared.Config == nil {
		t.Fatalf("ingress: live %v, file %v (missing %q)", s.Ingress.Config, s.Ingress.File, s.Ingress.Missing)
	}
	if len(s.Ingress.Config.Rules) != 2 || s.Ingress.Config.Rules[0].Service != "http://web:8080" {
		t.Errorf("live rules = %+v", s.Ingress.Config.Rules)
	}
	if !strings.Contains(strings.Join(s.Ingress.Notes, "\n"), "version -1") {
		t.Errorf("notes = %v", s.Ingress.Notes)
	}
	for code, f := range found {
		if f.Severity > agent.Info {
			t.Errorf("healthy tunnel: %s %v: %s", code, f.Severity, f.Message)
		}
	}
}

func TestCollectRemoteConfigOverridesFile(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yml")
	writeConfig(t, cfg, "http://web:8080")
	remote := `{"ingress":[{"hostname":"app.example.com","service":"http://web:80"},{"service":"http_status:404"}]}`
	addr := runStandin(t, []string{"STANDIN_CONFIG_JSON=" + remote, "STANDIN_VERSION=5"},
		"tunnel", "--config", cfg, "--metrics", "127.0.0.1:0", "run")
	s, found := collectHost(t, addr, cfg)
	if s.Tunnel.ConfigSource != agent.ConfigSourceRemote || s.Tunnel.ConfigVersion != 5 {
		t.Errorf("tunnel = %+v", s.Tunnel)
	}
	if s.Ingress.Config.Rules[0].Service != "http://web:80" {
		t.Errorf("live ingress is not the dashboard's: %+v", s.Ingress.Config.Rules)
	}
	f, ok := found["TUN012"]
	if !ok || f.Severity != agent.Warn || !strings.Contains(f.Evidence["differences"], "http://web:8080") {
		t.Errorf("TUN012 = %+v (found %v)", f, ok)
	}
}

func TestCollectFileEditedAfterStart(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yml")
	writeConfig(t, cfg, "http://web:8080")
	addr := runStandin(t, nil, "tunnel", "--config", cfg, "--metrics", "127.0.0.1:0", "run")
	writeConfig(t, cfg, "http://web:9090")
	_, found := collectHost(t, addr, cfg)
	if f, ok := found["TUN014"]; !ok || !strings.Contains(f.Evidence["differences"], "http://web:9090") {
		t.Errorf("TUN014 = %+v (found %v)", f, ok)
	}
}

func TestCollectNotConnected(t *testing.T) {
	addr := runStandin(t, []string{"STANDIN_MODE=unauthorized", "STANDIN_RETRY_EVERY=50ms"}, "tunnel", "--metrics", "127.0.0.1:0", "run")
	s, found := collectHost(t, addr, "")
	if s.Tunnel.Connected == nil || *s.Tunnel.Connected {
		t.Errorf("connected = %v, want false", s.Tunnel.Connected)
	}
	// Without Docker there are no logs to name the cause: the generic finding.
	if _, ok := found["TUN008"]; !ok {
		t.Errorf("no TUN008; found %v", found)
	}
}

func TestCollectMetricsUnreachable(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yml")
	writeConfig(t, cfg, "http://web:8080")
	s, found := collectHost(t, "127.0.0.1:1", cfg)
	if f, ok := found["TUN009"]; !ok || !strings.Contains(f.Message, "127.0.0.1:1") {
		t.Errorf("TUN009 = %+v (found %v)", f, ok)
	}
	if s.Ingress.Config != s.Ingress.File || s.Tunnel.ConfigSource != agent.ConfigSourceFile {
		t.Errorf("ingress should fall back to the file: source %q", s.Tunnel.ConfigSource)
	}
}

func TestCollectNothingToAsk(t *testing.T) {
	s, _ := collectHost(t, "", "", "127.0.0.1:1")
	if !strings.Contains(s.Cloudflared.Missing, "--metrics") {
		t.Errorf("cloudflared missing = %q", s.Cloudflared.Missing)
	}
	if !strings.Contains(s.Ingress.Missing, "--config") {
		t.Errorf("ingress missing = %q", s.Ingress.Missing)
	}
}

// TestCollectFindsLocalCloudflared: no Docker and no --metrics, but a
// cloudflared on this host (or in our shared namespace) at one of the
// addresses looked at (127.0.0.1:20241-20245 unless the options say).
func TestCollectFindsLocalCloudflared(t *testing.T) {
	addr := runStandin(t, nil, "tunnel", "--metrics", "127.0.0.1:0", "run")
	s, _ := collectHost(t, "", "", "127.0.0.1:1", addr)
	if s.Cloudflared.Missing != "" || s.Cloudflared.MetricsAddr != addr {
		t.Fatalf("missing %q, metrics %q; want %s", s.Cloudflared.Missing, s.Cloudflared.MetricsAddr, addr)
	}
	if s.Tunnel.Connected == nil || !*s.Tunnel.Connected {
		t.Errorf("connected = %v", s.Tunnel.Connected)
	}
}
