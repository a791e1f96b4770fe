// Package cloudflaredit tests the cloudflared collector against the stand-in
// cloudflared in real containers: logs, metrics port discovery, config from a
// mount and the failures users see.
package cloudflaredit

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// These tests run the stand-in cloudflared as a container on the real
// Docker daemon and collect from it exactly as `tunneldoctor check
// --cloudflared NAME` does on the host: discovery, the metrics server at the
// container's IP, its logs through the Engine API, then the tunnel checks.

const dockerSecret = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"

func dockerToken() string {
	return base64.StdEncoding.EncodeToString([]byte(`{"a":"0123456789abcdef0123456789abcdef","t":"6ff42ae2-765d-4adf-8112-31c55c1551ef","s":"` + dockerSecret + `"}`))
}

// debugLog collects every run's debug log, checked for secrets.
var debugLog = &dockertest.SyncBuffer{}

func collectDocker(t *testing.T, name string) (*agent.Snapshot, []agent.Finding) {
	t.Helper()
	opts := collect.Options{Logger: zerolog.New(debugLog).Level(zerolog.DebugLevel)}
	opts.Docker.Cloudflared = name
	opts.Docker.Timeout = 30 * time.Second
	opts.Probes.Disabled = "probes not used in this test"
	opts.Edge.Disabled = "edge not used in this test"
	opts.Cloudflared.Timeout = 2 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s := collect.Snapshot(ctx, opts)
	if s.Docker.Missing != "" || s.Cloudflared.Missing != "" {
		t.Fatalf("collection failed: docker %q, cloudflared %q", s.Docker.Missing, s.Cloudflared.Missing)
	}
	return s, agent.Run(s, checks.All())
}

func byCode(fs []agent.Finding) map[string]agent.Finding {
	m := map[string]agent.Finding{}
	for _, f := range fs {
		if f.Severity != agent.Skipped {
			m[f.Code] = f
		}
	}
	return m
}

func noSecrets(t *testing.T, s *agent.Snapshot, fs []agent.Finding) {
	t.Helper()
	for _, v := range []any{s.Cloudflared, s.Tunnel, s.Ingress, fs} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), dockerToken()) || strings.Contains(string(b), dockerSecret) {
			t.Errorf("a secret leaked into the facts or findings: %.300s", b)
		}
	}
	if l := debugLog.String(); !strings.Contains(l, "cloudflared collected") {
		t.Error("no debug log line from the cloudflared collector")
	} else if strings.Contains(l, dockerToken()) || strings.Contains(l, dockerSecret) {
		t.Error("a secret leaked into the debug log")
	}
}

func TestDockerConnectedWithOriginErrors(t *testing.T) {
	dockertest.RequireDocker(t)
	image := dockertest.StandinImage(t)
	net := dockertest.Network(t, "tun", dockertest.NetworkOptions{})
	remote := `{"ingress":[{"hostname":"app.example.com","service":"http://web:8080"},{"service":"http_status:404"}]}`
	cf := dockertest.Run(t, dockertest.Spec{Name: "cf", Image: image, Network: net,
		Env: []string{"TUNNEL_TOKEN=" + dockerToken(), "STANDIN_CONFIG_JSON=" + remote, "STANDIN_VERSION=2",
			"STANDIN_ORIGIN_ERRORS=0=dial tcp: lookup web on 127.0.0.11:53: no such host"},
		Args: []string{"tunnel", "--metrics", "0.0.0.0:20241", "run"}})
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)

	s, fs := collectDocker(t, cf.Name)
	f := &s.Cloudflared
	if f.Container != cf.Name || !strings.HasSuffix(f.MetricsAddr, ":20241") {
		t.Errorf("container %q metrics %q (%s)", f.Container, f.MetricsAddr, f.MetricsError)
	}
	if f.Ready == nil || f.Ready.Status != 200 || f.Config == nil || f.Config.Version != 2 {
		t.Fatalf("ready %+v (%s), config %+v (%s)", f.Ready, f.ReadyError, f.Config, f.ConfigError)
	}
	if s.Tunnel.ConfigSource != agent.ConfigSourceRemote || s.Tunnel.ID != "6ff42ae2-765d-4adf-8112-31c55c1551ef" || s.Tunnel.Connected == nil || !*s.Tunnel.Connected {
		t.Errorf("tunnel = %+v", s.Tunnel)
	}
	if f.LogLines == 0 || f.LogsError != "" {
		t.Errorf("logs: %d lines, error %q", f.LogLines, f.LogsError)
	}
	got := byCode(fs)
	oe, ok := got["TUN010"]
	if !ok || oe.Hostname != "app.example.com" || oe.Rule != 0 || oe.Evidence["cause_kind"] != cloudflared.OriginCauseDNS {
		t.Errorf("TUN010 = %+v (found %v)", oe, ok)
	}
	for code, fd := range got {
		if strings.HasPrefix(code, "TUN") && code != "TUN010" && fd.Severity > agent.Info {
			t.Errorf("unexpected %s: %s", code, fd.Message)
		}
	}
	noSecrets(t, s, fs)
}

func TestDockerFailures(t *testing.T) {
	dockertest.RequireDocker(t)
	image := dockertest.StandinImage(t)
	net := dockertest.Network(t, "tunfail", dockertest.NetworkOptions{})
	cases := []struct {
		name    string
		env     []string
		args    []string
		restart string
		wait    func(t *testing.T, id string)
		code    string
		inFix   string
	}{
		{name: "flag after run", args: []string{"tunnel", "run", "--metrics", "0.0.0.0:20241"}, restart: "on-failure",
			wait: func(t *testing.T, id string) { dockertest.WaitState(t, id, "exited", 20*time.Second) },
			code: "TUN003", inFix: "command: tunnel --metrics 0.0.0.0:20241 run"},
		{name: "invalid token", env: []string{"TUNNEL_TOKEN=bm90LWEtdG9rZW4="}, args: []string{"tunnel", "run"}, restart: "unless-stopped",
			wait: func(t *testing.T, id string) { dockertest.WaitRestarts(t, id, 1, 30*time.Second) },
			code: "TUN002", inFix: "TUNNEL_TOKEN"},
		{name: "metrics on loopback (token on the command line)", args: []string{"tunnel", "--metrics", "127.0.0.1:20241", "run", "--token", dockerToken()},
			wait: func(t *testing.T, id string) { dockertest.WaitState(t, id, "healthy", 30*time.Second) },
			code: "TUN009", inFix: "network_mode: service:cloudflared"},
		{name: "quic pinned and blocked", env: []string{"TUNNEL_TOKEN=" + dockerToken(), "STANDIN_MODE=quic-blocked", "STANDIN_RETRY_EVERY=200ms"},
			args: []string{"tunnel", "--metrics", "0.0.0.0:20241", "--protocol", "quic", "run"},
			wait: func(t *testing.T, id string) {
				dockertest.WaitState(t, id, "running", 20*time.Second)
				dockertest.WaitLog(t, id, "If this log occurs persistently", 20*time.Second) // after the second failed dial
			},
			code: "TUN005", inFix: "--protocol http2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cf := dockertest.Run(t, dockertest.Spec{Name: "cf", Image: image, Network: net, Env: tc.env, Args: tc.args, Restart: tc.restart})
			tc.wait(t, cf.ID)
			s, fs := collectDocker(t, cf.Name)
			got := byCode(fs)
			f, ok := got[tc.code]
			if !ok {
				var have []string
				for c, fd := range got {
					have = append(have, c+": "+fd.Message)
				}
				t.Fatalf("no %s; findings:\n%s\nevents: %+v", tc.code, strings.Join(have, "\n"), s.Cloudflared.Events)
			}
			if !strings.Contains(f.Fix, tc.inFix) {
				t.Errorf("%s fix %q lacks %q", tc.code, f.Fix, tc.inFix)
			}
			if _, dup := got["TUN001"]; dup {
				t.Errorf("TUN001 beside %s", tc.code)
			}
			noSecrets(t, s, fs)
		})
	}
}

// TestDockerConfigFromMount: cloudflared reads /etc/cloudflared/config.yml
// from a bind mount (no --config); tunneldoctor, on the host, finds the file
// through the mount's source, and notices when it was edited afterwards.
func TestDockerConfigFromMount(t *testing.T) {
	dockertest.RequireDocker(t)
	image := dockertest.StandinImage(t)
	net := dockertest.Network(t, "tunmount", dockertest.NetworkOptions{})
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yml")
	write := func(svc string) {
		body := "ingress:\n  - hostname: app.example.com\n    service: " + svc + "\n  - service: http_status:404\n"
		if err := os.WriteFile(cfgPath, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("http://web:8080")
	name := dockertest.Name("cfmount")
	id := dockertest.Docker(t, "run", "-d", "--name", name, "--label", "tdtest=1", "--network", net,
		"-v", dir+":/etc/cloudflared:ro", "-e", "TUNNEL_TOKEN="+dockerToken(),
		image, "tunnel", "--metrics", "0.0.0.0:20241", "run")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", "-v", id).Run() })
	dockertest.WaitState(t, id, "healthy", 30*time.Second)

	s, fs := collectDocker(t, name)
	if s.Ingress.File == nil || s.Ingress.File.Path != cfgPath {
		t.Fatalf("file not found through the mount: %+v; notes %v", s.Ingress.File, s.Ingress.Notes)
	}
	if s.Tunnel.ConfigSource != agent.ConfigSourceLocal {
		t.Errorf("config source %q, want local", s.Tunnel.ConfigSource)
	}
	if _, ok := byCode(fs)["TUN014"]; ok {
		t.Error("TUN014 although the file is unchanged")
	}

	write("http://web:9090")
	_, fs = collectDocker(t, name)
	if f, ok := byCode(fs)["TUN014"]; !ok || !strings.Contains(f.Fix, "docker restart "+name) {
		t.Errorf("TUN014 = %+v (found %v)", f, ok)
	}
}

// TestDockerMetricsPortFromLog: a metrics server on a port tunneldoctor
// cannot guess is found from cloudflared's "Starting metrics server" line.
func TestDockerMetricsPortFromLog(t *testing.T) {
	dockertest.RequireDocker(t)
	image := dockertest.StandinImage(t)
	net := dockertest.Network(t, "tunport", dockertest.NetworkOptions{})
	cf := dockertest.Run(t, dockertest.Spec{Name: "cf", Image: image, Network: net,
		Env: []string{"TUNNEL_TOKEN=" + dockerToken()}, Args: []string{"tunnel", "--metrics", "0.0.0.0:0", "run"}})
	dockertest.WaitLog(t, cf.ID, "Starting metrics server", 20*time.Second)
	s, fs := collectDocker(t, cf.Name)
	if s.Cloudflared.MetricsAddr == "" || strings.HasSuffix(s.Cloudflared.MetricsAddr, ":0") {
		t.Fatalf("metrics not found: %q (%s)", s.Cloudflared.MetricsAddr, s.Cloudflared.MetricsError)
	}
	if _, ok := byCode(fs)["TUN009"]; ok {
		t.Error("TUN009 although the metrics server was found")
	}
}

func TestMain(m *testing.M) { os.Exit(dockertest.Main(m)) }
