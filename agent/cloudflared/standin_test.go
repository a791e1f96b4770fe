package cloudflared

import (
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// These tests run the stand-in cloudflared (agent/cloudflared/standin) as
// a local process on loopback and read it with this package's client and
// classifier, end to end.

func TestMain(m *testing.M) { os.Exit(dockertest.Main(m)) } // also removes the stand-in binary and the Docker tests' images

// lines splits a process's output so far into lines.
func lines(b *dockertest.SyncBuffer) []string {
	return strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
}

type standin struct {
	cmd  *exec.Cmd
	out  *dockertest.SyncBuffer
	done chan struct{}
	code int
}

func startStandin(t *testing.T, env []string, args ...string) *standin {
	t.Helper()
	s := &standin{out: &dockertest.SyncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(dockertest.Program(t, dockertest.StandinPackage), args...)
	s.cmd.Env = append([]string{"HOME=" + t.TempDir()}, env...)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = s.cmd.Wait()
		s.code = s.cmd.ProcessState.ExitCode()
		close(s.done)
	}()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
	})
	return s
}

// waitFor polls the classified output until pred holds.
func (s *standin) waitFor(t *testing.T, what string, pred func([]Event) bool) []Event {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ev := Classify(lines(s.out), nil)
		if pred(ev) {
			return ev
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s; output:\n%s", what, strings.Join(lines(s.out), "\n"))
	return nil
}

func (s *standin) exit(t *testing.T) int {
	t.Helper()
	select {
	case <-s.done:
		return s.code
	case <-time.After(10 * time.Second):
		t.Fatalf("stand-in did not exit; output:\n%s", strings.Join(lines(s.out), "\n"))
	}
	return -1
}

func count(ev []Event, k Kind) int {
	n := 0
	for _, e := range ev {
		if e.Kind == k {
			n++
		}
	}
	return n
}

func find(ev []Event, k Kind) (Event, bool) {
	for _, e := range ev {
		if e.Kind == k {
			return e, true
		}
	}
	return Event{}, false
}

func metricsAddr(t *testing.T, s *standin) string {
	ev := s.waitFor(t, "the metrics server", func(ev []Event) bool { _, ok := find(ev, KindMetricsStarted); return ok })
	e, _ := find(ev, KindMetricsStarted)
	return e.Addr
}

const testTunnelID = "6ff42ae2-765d-4adf-8112-31c55c1551ef"

func testToken() string {
	return base64.StdEncoding.EncodeToString([]byte(`{"a":"0123456789abcdef0123456789abcdef","t":"` + testTunnelID + `","s":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}`))
}

func TestStandinConnectedLocalConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(cfg, []byte("ingress:\n  - hostname: app.example.com\n    service: http://web:8080\n  - service: http_status:404\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tok := testToken()
	s := startStandin(t, []string{"STANDIN_ORIGIN_ERRORS=0=dial tcp 172.18.0.3:8080: connect: connection refused"},
		"--no-autoupdate", "tunnel", "--config", cfg, "--metrics", "127.0.0.1:0", "run", "--token", tok)
	addr := metricsAddr(t, s)
	ev := s.waitFor(t, "an origin error", func(ev []Event) bool { return count(ev, KindOriginError) == 1 })
	if n := count(ev, KindRegistered); n != 4 {
		t.Errorf("%d registered connections, want 4", n)
	}
	oe, _ := find(ev, KindOriginError)
	if oe.Rule != 0 || oe.OriginService != "http://web:8080" || oe.CauseKind != OriginCauseRefused {
		t.Errorf("origin error = %+v", oe)
	}
	for _, l := range lines(s.out) {
		if strings.Contains(l, tok) {
			t.Errorf("the stand-in printed the token: %s", l)
		}
	}

	c := NewClient(addr, &http.Client{Timeout: 2 * time.Second}, 0)
	ctx := context.Background()
	r, err := c.Ready(ctx)
	if err != nil || r.Status != 200 || r.ReadyConnections != 4 {
		t.Errorf("ready = %+v, %v", r, err)
	}
	conf, err := c.Config(ctx)
	if err != nil || conf.Version != -1 || len(conf.Rules) != 2 || conf.Rules[0].Hostname != "app.example.com" {
		t.Errorf("config = %+v, %v", conf, err)
	}
	ts, err := c.TunnelState(ctx)
	if err != nil || ts.TunnelID != testTunnelID || ts.Connected() != 4 || ts.Connections[0].Protocol != "quic" {
		t.Errorf("tunnel state = %+v, %v", ts, err)
	}
	m, err := c.Metrics(ctx)
	if err != nil || m.RequestErrors != 1 || m.Version != "2026.8.2" {
		t.Errorf("metrics = %+v, %v", m, err)
	}
	// An origin error on demand (the stand-in's test endpoint).
	resp, err := http.Get("http://" + addr + "/standin/origin-error?rule=0&cause=EOF")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ev = s.waitFor(t, "the second origin error", func(ev []Event) bool { return count(ev, KindOriginError) == 2 })
	if last := ev[len(ev)-1]; last.Kind != KindOriginError || last.CauseKind != OriginCauseEOF {
		t.Errorf("on-demand origin error = %+v", last)
	}
	found, _, err := Discover(ctx, &http.Client{}, []string{"127.0.0.1:1", addr}, time.Second)
	if err != nil || found != addr {
		t.Errorf("Discover = %s, %v; want %s", found, err, addr)
	}
}

func TestStandinRemoteConfigJSONLogs(t *testing.T) {
	remote := `{"ingress":[{"hostname":"dash.example.com","service":"http://dash:3000"},{"service":"http_status:404"}]}`
	s := startStandin(t, []string{"TUNNEL_TOKEN=" + testToken(), "TUNNEL_LOG_OUTPUT=json", "STANDIN_CONFIG_JSON=" + remote, "STANDIN_VERSION=5"},
		"tunnel", "--metrics", "127.0.0.1:0", "run")
	addr := metricsAddr(t, s)
	ev := s.waitFor(t, "the config push", func(ev []Event) bool { _, ok := find(ev, KindConfigUpdated); return ok })
	up, _ := find(ev, KindConfigUpdated)
	if up.Version != 5 || !strings.Contains(up.Config, "dash.example.com") {
		t.Errorf("update = %+v", up)
	}
	for _, l := range lines(s.out) {
		if !strings.HasPrefix(l, "{") {
			t.Errorf("not a JSON line: %s", l)
		}
	}
	conf, err := NewClient(addr, nil, 0).Config(context.Background())
	if err != nil || conf.Version != 5 || conf.Rules[0].Hostname != "dash.example.com" {
		t.Errorf("config = %+v, %v", conf, err)
	}
}

func TestStandinNotConnected(t *testing.T) {
	cases := []struct {
		mode, protocol string
		kind           Kind
	}{
		{"quic-blocked", "quic", KindQUICBlocked},
		{"unauthorized", "", KindUnauthorized},
		{"tcp-blocked", "http2", KindTCPBlocked},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			args := []string{"tunnel", "--metrics", "127.0.0.1:0"}
			if tc.protocol != "" {
				args = append(args, "--protocol", tc.protocol)
			}
			args = append(args, "run")
			s := startStandin(t, []string{"TUNNEL_TOKEN=" + testToken(), "STANDIN_MODE=" + tc.mode, "STANDIN_RETRY_EVERY=50ms"}, args...)
			addr := metricsAddr(t, s)
			ev := s.waitFor(t, string(tc.kind), func(ev []Event) bool { return count(ev, tc.kind) >= 2 })
			if count(ev, KindRegistered) != 0 {
				t.Error("registered although the edge is unreachable")
			}
			r, err := NewClient(addr, nil, 0).Ready(context.Background())
			if err != nil || r.Status != 503 {
				t.Errorf("ready = %+v, %v; want 503", r, err)
			}
		})
	}
}

func TestStandinQUICFallsBack(t *testing.T) {
	s := startStandin(t, []string{"TUNNEL_TOKEN=" + testToken(), "STANDIN_MODE=quic-blocked", "STANDIN_RETRY_EVERY=50ms"},
		"tunnel", "--metrics", "127.0.0.1:0", "run")
	ev := s.waitFor(t, "registration", func(ev []Event) bool { return count(ev, KindRegistered) == 4 })
	fb, ok := find(ev, KindProtocolFallback)
	if !ok || fb.Protocol != "http2" {
		t.Errorf("fallback = %+v, %v", fb, ok)
	}
	reg, _ := find(ev, KindRegistered)
	if reg.Protocol != "http2" {
		t.Errorf("registered over %q, want http2", reg.Protocol)
	}
}

func TestStandinExits(t *testing.T) {
	cases := []struct {
		name string
		env  []string
		args []string
		code int
		kind Kind
	}{
		{"edge dns", []string{"TUNNEL_TOKEN=" + testToken(), "STANDIN_MODE=dns-fail"}, []string{"tunnel", "run"}, 1, KindEdgeDNSFailure},
		{"bad token", nil, []string{"tunnel", "run", "--token", "not-a-token"}, 255, KindInvalidToken},
		{"flag after run", nil, []string{"tunnel", "run", "--token", testToken(), "--metrics", "0.0.0.0:20241"}, 0, KindFlagAfterRun},
		{"invalid ingress", []string{"TUNNEL_TOKEN=" + testToken(), "STANDIN_MODE=invalid-config"}, []string{"tunnel", "run"}, 1, KindStartFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startStandin(t, tc.env, tc.args...)
			if code := s.exit(t); code != tc.code {
				t.Errorf("exit code %d, want %d", code, tc.code)
			}
			ev := Classify(lines(s.out), nil)
			e, ok := find(ev, tc.kind)
			if !ok {
				t.Fatalf("no %s event in:\n%s", tc.kind, strings.Join(lines(s.out), "\n"))
			}
			if tc.kind == KindFlagAfterRun && e.Flag != "metrics" {
				t.Errorf("flag = %q, want metrics", e.Flag)
			}
		})
	}
}

// With --edge (TUNNEL_EDGE) the stand-in does no SRV discovery, as
// cloudflared: names the failing resolver cannot resolve are logged and,
// when none resolves, it exits; an IP:port needs no DNS and connects.
func TestStandinStaticEdge(t *testing.T) {
	env := []string{"TUNNEL_TOKEN=" + testToken(), "STANDIN_MODE=dns-fail"}
	s := startStandin(t, env, "tunnel", "--edge", "edge.internal:7844", "run")
	if code := s.exit(t); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	out := strings.Join(lines(s.out), "\n")
	for _, w := range []string{"failed to resolve to TCP address", "address=edge.internal:7844",
		"lookup edge.internal on 127.0.0.11:53: server misbehaving", `Initiating shutdown error="failed to resolve any edge address"`} {
		if !strings.Contains(out, w) {
			t.Errorf("log lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "_v2-origintunneld") {
		t.Errorf("looked up the SRV record despite --edge:\n%s", out)
	}
	if e, ok := find(Classify(lines(s.out), nil), KindEdgeDNSFailure); !ok || !strings.Contains(e.Cause, "edge.internal") {
		t.Errorf("edge DNS event = %+v, %v", e, ok)
	}

	s = startStandin(t, append(env, "TUNNEL_EDGE=198.41.192.7:7844", "STANDIN_RETRY_EVERY=50ms"), "tunnel", "--metrics", "127.0.0.1:0", "run")
	ev := s.waitFor(t, "registration", func(ev []Event) bool { return count(ev, KindRegistered) == 4 })
	if n := count(ev, KindEdgeDNSFailure); n != 0 {
		t.Errorf("%d edge DNS failures with an IP edge", n)
	}
}
