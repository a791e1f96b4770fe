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
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
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
// published, one published on another host port, one stopped, a port
// nobody serves, one dialed by its container name (NET031), and one
// published only on another host address (docker0's, not loopback). Each
// finding names the right container and fix, the probes run from the host
// (cloudflared's vantage), every broken rule has exactly one error (the
// probe findings defer to the host-mode ones), and six fixes applied as
// written resolve their findings.
//
// Hermetic: the stand-in's metrics server is given explicitly and no
// default port is tried (a real cloudflared may listen on 20241-20245
// here); Docker is read through a GET-only filter that shows this test's
// containers only, so cloudflared containers of concurrent tests do not
// make this run leave host mode. The probe of the container-name rule
// looks the name up as cloudflared on the host would, but through a
// resolver whose only server is a local one answering NXDOMAIN
// (dockertest.LocalResolver): the name never reaches a real DNS server.
func TestHostModeCloudflaredOnTheHost(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	label := strings.TrimPrefix(dockertest.Name("hostmode"), dockertest.Prefix)
	labels := map[string]string{"tdtest-hostmode": label}
	dockerHost := onlyLabelled(t, "tdtest-hostmode="+label)

	pWeb, pExposed, pWanted, pOther, pStopped, pNobody := freePort(t), freePort(t), freePort(t), freePort(t), freePort(t), freePort(t)
	pNamed, pLan, lanAddr := freePort(t), freePort(t), otherHostAddr(t)
	dns := dockertest.NewLocalResolver(t)
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
	namedSpec := func(s *dockertest.Spec) { s.Name, s.Labels = "named", labels }
	named := origin(t, im.origin, "", []string{"--listen", ":" + pNamed}, namedSpec)
	lan := origin(t, im.origin, "", []string{"--listen", ":" + pLan}, func(s *dockertest.Spec) {
		s.Name, s.Labels, s.Publish = "lanonly", labels, []string{lanAddr + ":" + pLan + ":" + pLan}
	})
	dockertest.Docker(t, "stop", "-t", "1", stopped.ID)
	for _, c := range []dockertest.Container{served, exposed, other, named, lan} {
		dockertest.WaitState(t, c.ID, "running", 20*time.Second)
	}
	waitListening(t, "127.0.0.1:"+pWeb)
	waitListening(t, "127.0.0.1:"+pOther)
	waitListening(t, lanAddr+":"+pLan)

	cfg := filepath.Join(t.TempDir(), "config.yml")
	rules := []string{
		"http://localhost:" + pWeb,            // 0: served
		"http://localhost:" + pExposed,        // 1: exposed, not published
		"http://localhost:" + pWanted,         // 2: published on pOther
		"http://127.0.0.1:" + pStopped,        // 3: its publisher is stopped
		"http://localhost:" + pNobody,         // 4: nobody
		"http://" + named.Name + ":" + pNamed, // 5: a container name, from the host
		"http://localhost:" + pLan,            // 6: published on lanAddr only
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

	r := diagnoseHost(t, dns, dockerHost, metrics, cfg)
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
	contains(t, "NET030 nobody fix", nobody.Fix, "docker run -p 127.0.0.1:"+pNobody+":"+pNobody+"\n")
	if strings.Contains(nobody.Fix, "CONTAINER_PORT") {
		t.Errorf("NET030 nobody fix has a placeholder: %s", nobody.Fix)
	}

	byName := ruleFinding(t, r, "NET031", 5)
	contains(t, "NET031", byName.Message, named.Name+" does not resolve")
	contains(t, "NET031 fix", byName.Fix, "-p 127.0.0.1:"+pNamed+":"+pNamed, "service: http://localhost:"+pNamed)
	if !slices.Contains(dns.Asked(), named.Name) {
		t.Errorf("the probe of %s did not ask the local DNS server (asked %v)", named.Name, dns.Asked())
	}

	lanF := ruleFinding(t, r, "NET030", 6)
	contains(t, "NET030 other address", lanF.Message, lan.Name, "on "+lanAddr+":"+pLan+" instead")
	contains(t, "NET030 other address fix", lanF.Fix, "service: http://"+lanAddr+":"+pLan, "\"127.0.0.1:"+pLan+":"+pLan+"\"")

	// One problem, one error: the probe findings of these rules quote the
	// probe at info and point at the host-mode finding that has the fix.
	for rule, code := range map[int]string{1: "NET030", 2: "NET030", 3: "ORG001", 4: "NET030", 5: "NET031", 6: "NET030"} {
		var errs []string
		for _, f := range r.findings {
			if f.Rule == rule && f.Severity == agent.Error {
				errs = append(errs, f.Code+": "+f.Message)
			}
		}
		if len(errs) != 1 || !strings.HasPrefix(errs[0], code+": ") {
			t.Errorf("rule #%d (%s): want exactly one error, %s; got %q", rule, rules[rule], code, errs)
		}
	}

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
	// NET031, first half: publish the port as written (the rule is changed
	// below). NET030 nobody: start the origin with the -p it names.
	namedPub := regexp.MustCompile(`-p (\S+) `).FindStringSubmatch(byName.Fix)
	nobodyPub := regexp.MustCompile(`docker run -p (\S+)\n`).FindStringSubmatch(nobody.Fix)
	if namedPub == nil || nobodyPub == nil {
		t.Fatalf("no -p in the fixes:\n%s\n%s", byName.Fix, nobody.Fix)
	}
	dockertest.Docker(t, "rm", "-f", named.ID)
	namedFixed := origin(t, im.origin, "", []string{"--listen", ":" + pNamed}, namedSpec, func(s *dockertest.Spec) {
		s.Publish = []string{namedPub[1]}
	})
	nobodyFixed := origin(t, im.origin, "", []string{"--listen", ":" + pNobody}, func(s *dockertest.Spec) {
		s.Name, s.Labels, s.Publish = "nobody", labels, []string{nobodyPub[1]}
	})
	dockertest.WaitState(t, namedFixed.ID, "running", 20*time.Second)
	dockertest.WaitState(t, nobodyFixed.ID, "running", 20*time.Second)
	waitListening(t, "127.0.0.1:"+pNamed)
	waitListening(t, "127.0.0.1:"+pNobody)
	dockertest.WaitState(t, fixed.ID, "running", 20*time.Second)
	dockertest.WaitState(t, stopped.ID, "running", 20*time.Second)
	waitListening(t, "127.0.0.1:"+pExposed)
	waitListening(t, "127.0.0.1:"+pStopped)

	after := diagnoseHost(t, dns, dockerHost, metrics, cfg)
	for _, f := range after.findings {
		if (f.Rule == 1 || f.Rule == 3 || f.Rule == 4) && f.Severity > agent.Info {
			t.Errorf("fixed rule #%d still has %s: %s", f.Rule, f.Code, f.Message)
		}
	}
	for _, p := range after.snap.Probes.Results {
		if (p.Target.Rule == 1 || p.Target.Rule == 3 || p.Target.Rule == 4) && !p.OK() {
			t.Errorf("fixed rule #%d: probe from the host failed: %s", p.Target.Rule, p.Error)
		}
	}
	ruleFinding(t, after, "NET030", 2) // not fixed yet: still there

	// The service lines of the other-port, container-name and other-address
	// fixes, in the file cloudflared (restarted, as systemctl restart
	// cloudflared would) reads.
	fixedCfg := b.String()
	newSvc := map[int]string{}
	for rule, fix := range map[int]string{2: moved.Fix, 5: byName.Fix, 6: lanF.Fix} {
		svc := regexp.MustCompile(`service: (\S+)`).FindStringSubmatch(fix)
		if svc == nil {
			t.Fatalf("rule #%d: no service line in the fix: %s", rule, fix)
		}
		newSvc[rule] = svc[1]
		fixedCfg = strings.Replace(fixedCfg, "service: "+rules[rule]+"\n", "service: "+svc[1]+"\n", 1)
	}
	if err := os.WriteFile(cfg, []byte(fixedCfg), 0o644); err != nil {
		t.Fatal(err)
	}
	last := diagnoseHost(t, dns, dockerHost, hostStandin(t, cfg), cfg)
	for _, f := range last.findings {
		if f.Rule >= 1 && f.Rule < len(rules) && f.Severity > agent.Info {
			t.Errorf("rule #%d fixed still has %s: %s", f.Rule, f.Code, f.Message)
		}
	}
	for _, p := range last.snap.Probes.Results {
		if !p.OK() || (newSvc[p.Target.Rule] != "" && p.Target.Service != newSvc[p.Target.Rule]) {
			t.Errorf("rule #%d (%s): probe from the host: %s", p.Target.Rule, p.Target.Service, p.Error)
		}
	}
}

// otherHostAddr is an address of this host other than loopback that no
// other machine shares: docker0's (the default bridge's gateway), or
// 127.0.0.2 where there is none (still not what localhost dials).
func otherHostAddr(t *testing.T) string {
	t.Helper()
	if ifc, err := net.InterfaceByName("docker0"); err == nil {
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if p, err := netip.ParsePrefix(a.String()); err == nil && p.Addr().Is4() {
				return p.Addr().String()
			}
		}
	}
	return "127.0.0.2"
}

// diagnoseHost collects as `tunneldoctor check --metrics ADDR --config CFG`
// on the host: probes on (they dial only this machine's addresses, and look
// names up at dns, a local server), the Cloudflare side off.
func diagnoseHost(t *testing.T, dns *dockertest.LocalResolver, dockerHost, metrics, cfg string) run {
	t.Helper()
	var logBuf bytes.Buffer
	opts := collect.Options{
		Logger:  zerolog.New(&logBuf).Level(zerolog.DebugLevel),
		Ingress: collect.IngressOptions{ConfigPath: cfg},
		Docker:  collect.DockerOptions{Host: dockerHost, SelfHints: []dockernet.Hint{}},
		Cloudflared: collect.CloudflaredOptions{Metrics: metrics, LocalAddrs: []string{},
			Timeout: 2 * time.Second, LogLines: -1},
		Probes: collect.ProbeOptions{MaxTime: 5 * time.Second, Resolver: dns.Resolver},
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
