package dockerit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// TestHostModeCloudflaredOnTheHost: cloudflared installed on the host (the
// stand-in as a local process, metrics on 127.0.0.1), origins in Docker
// behind ports published on 127.0.0.1: one served, one exposed but not
// published, one published on another host port, one stopped, and a port
// nobody serves. Each finding names the right container and fix, the probes
// run from the host (cloudflared's vantage), and three fixes applied as
// written resolve their findings.
//
// Hermetic: the stand-in's metrics server is given explicitly and no
// default port is tried (a real cloudflared may listen on 20241-20245
// here); Docker is read through a GET-only filter that shows this test's
// containers only, so cloudflared containers of concurrent tests do not
// make this run leave host mode.
func TestHostModeCloudflaredOnTheHost(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	label := strings.TrimPrefix(dockertest.Name("hostmode"), dockertest.Prefix)
	labels := map[string]string{"tdtest-hostmode": label}
	dockerHost := onlyLabelled(t, "tdtest-hostmode="+label)

	pWeb, pExposed, pWanted, pOther, pStopped, pNobody := freePort(t), freePort(t), freePort(t), freePort(t), freePort(t), freePort(t)
	served := origin(t, im.origin, "", []string{"--listen", ":8080"}, func(s *dockertest.Spec) {
		s.Name, s.Labels, s.Publish = "served", labels, []string{"127.0.0.1:" + pWeb + ":8080"}
	})
	exposedSpec := func(s *dockertest.Spec) {
		s.Name, s.Labels, s.Expose = "exposed", labels, []string{pExposed}
	}
	exposed := origin(t, im.origin, "", []string{"--listen", ":" + pExposed}, exposedSpec)
	other := origin(t, im.origin, "", []string{"--listen", ":" + pWanted}, func(s *dockertest.Spec) {
		s.Name, s.Labels, s.Publish = "otherport", labels, []string{"127.0.0.1:" + pOther + ":" + pWanted}
	})
	stopped := origin(t, im.origin, "", []string{"--listen", ":8080"}, func(s *dockertest.Spec) {
		s.Name, s.Labels, s.Publish = "stopped", labels, []string{"127.0.0.1:" + pStopped + ":8080"}
	})
	dockertest.Docker(t, "stop", "-t", "1", stopped.ID)
	for _, c := range []dockertest.Container{served, exposed, other} {
		dockertest.WaitState(t, c.ID, "running", 20*time.Second)
	}
	waitListening(t, "127.0.0.1:"+pWeb)
	waitListening(t, "127.0.0.1:"+pOther)

	cfg := filepath.Join(t.TempDir(), "config.yml")
	rules := []string{
		"http://localhost:" + pWeb,     // 0: served
		"http://localhost:" + pExposed, // 1: exposed, not published
		"http://localhost:" + pWanted,  // 2: published on pOther
		"http://127.0.0.1:" + pStopped, // 3: its publisher is stopped
		"http://localhost:" + pNobody,  // 4: nobody
	}
	var b strings.Builder
	b.WriteString("tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ningress:\n")
	for i, svc := range rules {
		fmt.Fprintf(&b, "  - hostname: app%d.example.com\n    service: %s\n", i, svc)
	}
	b.WriteString("  - service: http_status:404\n")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	metrics := hostStandin(t, cfg)

	r := diagnoseHost(t, dockerHost, metrics, cfg)
	if !r.snap.HostMode() || !r.snap.Docker.Available() {
		t.Fatalf("not host mode (docker missing %q, cloudflared %q):\n%s", r.snap.Docker.Missing, r.snap.Cloudflared.MetricsAddr, r.dump())
	}
	if r.snap.Probes.Vantage != agent.VantageCloudflared || len(r.snap.Probes.Results) != len(rules) {
		t.Fatalf("probes: vantage %q, %d results (missing %q)", r.snap.Probes.Vantage, len(r.snap.Probes.Results), r.snap.Probes.Missing)
	}
	for _, p := range r.snap.Probes.Results {
		if p.Target.Rule == 0 && !p.OK() {
			t.Errorf("the served origin did not answer the probe from the host: %s", p.Error)
		}
	}
	for _, f := range r.findings {
		if f.Rule == 0 && f.Severity > agent.Info {
			t.Errorf("rule 0 is served by %s: %s %s", served.Name, f.Code, f.Message)
		}
		if f.Severity != agent.Skipped && (f.Code == "AGT102" || f.Code == "ING022" || f.Code == "NET002") {
			t.Errorf("container-side verdict in host mode: %s %s", f.Code, f.Message)
		}
	}

	unpub := ruleFinding(t, r, "NET030", 1)
	contains(t, "NET030 exposed", unpub.Message, exposed.Name, "exposes port "+pExposed, "does not publish")
	contains(t, "NET030 exposed fix", unpub.Fix, "\"127.0.0.1:"+pExposed+":"+pExposed+"\"", "-p 127.0.0.1:"+pExposed+":"+pExposed)
	if unpub.Severity != agent.Error {
		t.Errorf("probed and refused, yet %v", unpub.Severity)
	}

	moved := ruleFinding(t, r, "NET030", 2)
	contains(t, "NET030 other port", moved.Message, other.Name, "127.0.0.1:"+pOther)
	contains(t, "NET030 other port fix", moved.Fix, "service: http://localhost:"+pOther)

	down := ruleFinding(t, r, "ORG001", 3)
	contains(t, "ORG001", down.Message, stopped.Name, "exited")
	contains(t, "ORG001 via", down.Evidence["reached_via"], "127.0.0.1:"+pStopped+"->8080/tcp")
	contains(t, "ORG001 fix", down.Fix, "docker start "+stopped.Name)
	for _, f := range r.find("NET030") {
		if f.Rule == 3 {
			t.Errorf("a stopped publisher is ORG001's, not NET030's: %s", f.Message)
		}
	}

	nobody := ruleFinding(t, r, "NET030", 4)
	contains(t, "NET030 nobody", nobody.Message, "nothing listens on localhost:"+pNobody+" on the host and no container publishes port "+pNobody)

	// Apply two fixes as written: re-create the exposed origin with the -p
	// the fix names, and start the stopped one.
	spec := regexp.MustCompile(`-p (\S+) `).FindStringSubmatch(unpub.Fix)
	if spec == nil {
		t.Fatalf("no -p in the fix: %s", unpub.Fix)
	}
	dockertest.Docker(t, "rm", "-f", exposed.ID)
	fixed := origin(t, im.origin, "", []string{"--listen", ":" + pExposed}, exposedSpec, func(s *dockertest.Spec) {
		s.Publish = []string{spec[1]}
	})
	start := regexp.MustCompile(`docker start (\S+)`).FindStringSubmatch(down.Fix)
	dockertest.Docker(t, "start", start[1])
	dockertest.WaitState(t, fixed.ID, "running", 20*time.Second)
	dockertest.WaitState(t, stopped.ID, "running", 20*time.Second)
	waitListening(t, "127.0.0.1:"+pExposed)
	waitListening(t, "127.0.0.1:"+pStopped)

	after := diagnoseHost(t, dockerHost, metrics, cfg)
	for _, f := range after.findings {
		if (f.Rule == 1 || f.Rule == 3) && f.Severity > agent.Info {
			t.Errorf("fixed rule #%d still has %s: %s", f.Rule, f.Code, f.Message)
		}
	}
	for _, p := range after.snap.Probes.Results {
		if (p.Target.Rule == 1 || p.Target.Rule == 3) && !p.OK() {
			t.Errorf("fixed rule #%d: probe from the host failed: %s", p.Target.Rule, p.Error)
		}
	}
	ruleFinding(t, after, "NET030", 2) // not fixed yet: still there

	// The other-port fix: the service line it gives, in the file cloudflared
	// (restarted, as systemctl restart cloudflared would) reads.
	svc := regexp.MustCompile(`service: (\S+)`).FindStringSubmatch(moved.Fix)
	if svc == nil {
		t.Fatalf("no service line in the fix: %s", moved.Fix)
	}
	fixedCfg := strings.Replace(b.String(), "service: "+rules[2]+"\n", "service: "+svc[1]+"\n", 1)
	if err := os.WriteFile(cfg, []byte(fixedCfg), 0o644); err != nil {
		t.Fatal(err)
	}
	last := diagnoseHost(t, dockerHost, hostStandin(t, cfg), cfg)
	for _, f := range last.findings {
		if f.Rule == 2 && f.Severity > agent.Info {
			t.Errorf("rule #2 fixed with %s still has %s: %s", svc[1], f.Code, f.Message)
		}
	}
	for _, p := range last.snap.Probes.Results {
		if p.Target.Rule == 2 && (!p.OK() || p.Target.Service != svc[1]) {
			t.Errorf("rule #2 (%s): probe from the host: %s", p.Target.Service, p.Error)
		}
	}
}

// diagnoseHost collects as `tunneldoctor check --metrics ADDR --config CFG`
// on the host: probes on (they dial only the test's loopback ports), the
// Cloudflare side off.
func diagnoseHost(t *testing.T, dockerHost, metrics, cfg string) run {
	t.Helper()
	var logBuf bytes.Buffer
	opts := collect.Options{
		Logger:  zerolog.New(&logBuf).Level(zerolog.DebugLevel),
		Ingress: collect.IngressOptions{ConfigPath: cfg},
		Docker:  collect.DockerOptions{Host: dockerHost, SelfHints: []dockernet.Hint{}},
		Cloudflared: collect.CloudflaredOptions{Metrics: metrics, LocalAddrs: []string{},
			Timeout: 2 * time.Second, LogLines: -1},
		Probes: collect.ProbeOptions{MaxTime: 5 * time.Second},
		Edge:   collect.EdgeOptions{Disabled: "not under test", PublicProbe: collect.PublicProbeOff, NoStatusPage: true},
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	snap := collect.Snapshot(ctx, opts)
	return run{snap: snap, findings: agent.Run(snap, checks.All()), log: logBuf.String()}
}

// ruleFinding returns the one non-skipped finding with code about rule.
func ruleFinding(t *testing.T, r run, code string, rule int) agent.Finding {
	t.Helper()
	var got []agent.Finding
	for _, f := range r.find(code) {
		if f.Rule == rule {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("want one %s about rule #%d, got %d:\n%s", code, rule, len(got), r.dump())
	}
	return got[0]
}

// hostStandin starts the stand-in cloudflared as a local process with the
// config and a metrics server on a random loopback port, and returns that
// port's address once the tunnel is up.
func hostStandin(t *testing.T, cfg string) string {
	t.Helper()
	bin := dockertest.Program(t, dockertest.StandinPackage)
	cmd := exec.Command(bin, "tunnel", "--config", cfg, "--metrics", "127.0.0.1:0", "run")
	cmd.Env = []string{"HOME=" + t.TempDir(), "TUNNEL_TOKEN=" + testToken}
	out := &dockertest.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	var addr string
	waitFor(t, "the stand-in's metrics server and tunnel", out, 15*time.Second, func(text string) bool {
		up := false
		for _, e := range cloudflared.Classify(strings.Split(text, "\n"), nil) {
			switch e.Kind {
			case cloudflared.KindMetricsStarted:
				addr = e.Addr
			case cloudflared.KindRegistered:
				up = true
			}
		}
		return addr != "" && up
	})
	return addr
}

// onlyLabelled serves the Docker API on a loopback port, GET and HEAD only,
// listing only the containers with label (key=value): the other tests'
// containers on this daemon stay out of the run.
func onlyLabelled(t *testing.T, label string) string {
	t.Helper()
	key, value, _ := strings.Cut(label, "=")
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme, r.Out.URL.Host = "http", "docker"
		},
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", "/var/run/docker.sock")
		}},
		ModifyResponse: func(resp *http.Response) error {
			if !strings.HasSuffix(resp.Request.URL.Path, "/containers/json") || resp.StatusCode != http.StatusOK {
				return nil
			}
			body, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if err != nil {
				return fmt.Errorf("read the container list: %w", err)
			}
			var all []map[string]any
			if err := json.Unmarshal(body, &all); err != nil {
				return fmt.Errorf("decode the container list: %w", err)
			}
			kept := []map[string]any{}
			for _, c := range all {
				if ls, _ := c["Labels"].(map[string]any); ls[key] == value {
					kept = append(kept, c)
				}
			}
			out, err := json.Marshal(kept)
			if err != nil {
				return fmt.Errorf("encode the container list: %w", err)
			}
			resp.Body = io.NopCloser(bytes.NewReader(out))
			resp.ContentLength = int64(len(out))
			resp.Header.Set("Content-Length", strconv.Itoa(len(out)))
			resp.Header.Del("Transfer-Encoding")
			return nil
		},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "read-only", http.StatusForbidden)
			t.Errorf("tunneldoctor sent %s %s", r.Method, r.URL.Path)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return "tcp://" + strings.TrimPrefix(srv.URL, "http://")
}

// freePort returns a TCP port free on 127.0.0.1 right now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// waitListening waits until an HTTP server answers at addr (through
// docker-proxy, which accepts connections before the origin listens).
func waitListening(t *testing.T, addr string) {
	t.Helper()
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := hc.Get("http://" + addr + "/"); err == nil {
			_ = resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no HTTP server answers on %s", addr)
}
