package dockerit

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// buildTunneldoctor compiles the tunneldoctor command for this host.
func buildTunneldoctor(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tunneldoctor")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/tunneldoctor/tunneldoctor/cmd/tunneldoctor")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build tunneldoctor: %v\n%s", err, out)
	}
	return bin
}

// proxiedEnv is a minimal environment for tunneldoctor on the host: Docker
// only through the proxy, and no Cloudflare token or TUNNELDOCTOR_*
// setting inherited from whoever runs the tests.
func proxiedEnv(t *testing.T, proxy *haproxy) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "DOCKER_HOST=tcp://" + proxy.addr}
}

// waitFor polls the buffer until cond holds.
func waitFor(t *testing.T, what string, buf *dockertest.SyncBuffer, timeout time.Duration, cond func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond(buf.String()) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: not seen in %s; output:\n%s", what, timeout, buf.String())
}

// TestBinaryBehindGetOnlySocketProxy runs the tunneldoctor binary, as a user
// would with DOCKER_HOST=tcp://socket-proxy:2375, through HAProxy allowing
// GET and HEAD only: `check` (discovery, topology, origin inspection and
// logs, cloudflared's metrics and logs), then `watch`, whose Docker event
// stream also goes through the proxy and reacts to an origin dying. The
// proxy's log must show only GET/HEAD, none refused, events included.
// On the host the probes are off (--no-probe: test container names must not
// go to the host's resolver), and so are the status page and the public
// probe.
func TestBinaryBehindGetOnlySocketProxy(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	bin := buildTunneldoctor(t)
	proxy := startHAProxy(t)
	front := dockertest.Network(t, "pbf", dockertest.NetworkOptions{})
	back := dockertest.Network(t, "pbb", dockertest.NetworkOptions{})
	ok := origin(t, im.origin, front, nil)
	lost := origin(t, im.origin, back, nil)
	dead := origin(t, im.origin, front, []string{"--exit-after", "200ms", "--say", "dying now"})
	remote := `{"ingress":[` +
		`{"hostname":"ok.example.com","service":"http://` + ok.Name + `:8080"},` +
		`{"hostname":"lost.example.com","service":"http://` + lost.Name + `:8080"},` +
		`{"hostname":"dead.example.com","service":"http://` + dead.Name + `:8080"},` +
		`{"service":"http_status:404"}]}`
	cf := standin(t, front, []string{"STANDIN_CONFIG_JSON=" + remote}, nil)
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	dockertest.WaitState(t, dead.ID, "exited", 20*time.Second)
	dockertest.WaitState(t, ok.ID, "running", 20*time.Second)
	offline := []string{"--cloudflared", cf.Name, "--no-probe", "--no-status-page", "--no-public-probe", "--log-level", "debug"}

	// check: exit 2 with the network and origin verdicts, all read through
	// the proxy.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	check := exec.CommandContext(ctx, bin, append([]string{"check", "--output", "json"}, offline...)...)
	check.Env = proxiedEnv(t, proxy)
	stdout, stderr, code := runExit(t, check)
	var report struct {
		Tunnel struct {
			Cloudflared string `json:"cloudflared"`
			Connected   *bool  `json:"connected"`
		} `json:"tunnel"`
		Findings []struct {
			Code, Severity, Message, Fix string
			Rule                         int
			Evidence                     map[string]string
		} `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("exit %d, report is not JSON: %v\n%s\nstderr:\n%s", code, err, stdout.String(), stderr.String())
	}
	if code != 2 {
		t.Errorf("check exit code %d, want 2\nstderr:\n%s", code, stderr.String())
	}
	if report.Tunnel.Cloudflared != cf.Name || report.Tunnel.Connected == nil || !*report.Tunnel.Connected {
		t.Errorf("cloudflared through the proxy: %+v", report.Tunnel)
	}
	seen := map[string]bool{}
	for _, f := range report.Findings {
		seen[f.Code] = true
		switch {
		case f.Code == "NET001" && f.Rule == 1:
			contains(t, "NET001 fix", f.Fix, "docker network connect "+back+" "+cf.Name)
		case f.Code == "ORG001" && f.Rule == 2:
			contains(t, "ORG001 log via the proxy", f.Evidence["last_log"], "dying now")
		case f.Code == "AGT101" || f.Code == "AGT102" || f.Code == "AGT103":
			t.Errorf("behind a GET-only proxy, yet %s: %s", f.Code, f.Message)
		case (f.Severity == "error" || f.Severity == "warn") && f.Rule == 0:
			t.Errorf("the healthy rule got %s: %s", f.Code, f.Message)
		}
	}
	if !seen["NET001"] || !seen["ORG001"] {
		t.Errorf("want NET001 and ORG001; report:\n%s", stdout.String())
	}
	// Every call the binary counted (its debug log) went through the proxy,
	// and nothing else did.
	calls := countedCalls(stderr.Bytes())
	if reqs := proxy.requests(calls); calls < 5 || len(reqs) != calls {
		t.Errorf("check counted %d Docker calls, the proxy logged %d:\n%s", calls, len(reqs), strings.Join(reqs, "\n"))
	}

	// watch: the first runs open the findings; an origin stopping is a
	// Docker event, read from /events through the proxy, and its finding
	// opens at once after it.
	watchCtx, stopWatch := context.WithTimeout(context.Background(), 2*time.Minute)
	defer stopWatch()
	watch := exec.CommandContext(watchCtx, bin, append([]string{"watch", "--listen", "off", "--interval", "1h", "--debounce", "200ms"}, offline...)...)
	watch.Env = proxiedEnv(t, proxy)
	var wout, werr dockertest.SyncBuffer
	watch.Stdout, watch.Stderr = &wout, &werr
	if err := watch.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- watch.Wait() }()
	t.Cleanup(func() {
		_ = watch.Process.Kill()
		<-exited
	})
	opened := func(code, name string) func(string) bool {
		return func(out string) bool {
			for _, line := range strings.Split(out, "\n") {
				if strings.Contains(line, `"event":"finding_opened"`) && strings.Contains(line, `"code":"`+code+`"`) && strings.Contains(line, name) {
					return true
				}
			}
			return false
		}
	}
	waitFor(t, "watch opens NET001", &wout, time.Minute, opened("NET001", lost.Name))
	dockertest.Docker(t, "stop", "-t", "0", ok.ID) // the test's own write, on the real socket
	waitFor(t, "the die event through the proxy", &werr, 30*time.Second, func(out string) bool {
		return strings.Contains(out, `"docker_event":"container die"`) && strings.Contains(out, ok.Name)
	})
	waitFor(t, "watch opens ORG001 for the stopped origin", &wout, 30*time.Second, opened("ORG001", ok.Name))
	if err := watch.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		exited <- err // for the cleanup
		if err != nil {
			t.Errorf("watch did not stop cleanly on SIGTERM: %v\nstderr:\n%s", err, werr.String())
		}
	case <-time.After(20 * time.Second):
		t.Errorf("watch did not stop within 20s of SIGTERM")
	}

	// The proxy saw reads only, the event stream among them, none refused.
	// HAProxy logs a request when it ends: the event stream ended when
	// watch stopped, so give its line a moment.
	var reqs []string
	for deadline := time.Now().Add(30 * time.Second); ; { // generous: the machine may be loaded
		reqs = proxy.requests(1)
		if strings.Contains(strings.Join(reqs, "\n"), "/events") || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	var events int
	for _, q := range reqs {
		if !strings.HasPrefix(q, "GET ") && !strings.HasPrefix(q, "HEAD ") {
			t.Errorf("non-read request reached the proxy: %s", q)
		}
		if strings.HasSuffix(q, " 403") {
			t.Errorf("a read was refused: %s", q)
		}
		if strings.Contains(q, "/events") {
			events++
		}
	}
	for _, want := range []string{"/containers/json", "/networks", "/containers/" + dead.ID + "/logs", "/containers/" + cf.ID + "/logs"} {
		found := false
		for _, q := range reqs {
			found = found || strings.Contains(q, want)
		}
		if !found {
			t.Errorf("no request for %s through the proxy", want)
		}
	}
	if events == 0 {
		t.Errorf("the event stream did not go through the proxy")
	}
	t.Logf("%d requests through the proxy, %d of them event streams", len(reqs), events)
	if t.Failed() {
		t.Logf("requests:\n%s", strings.Join(reqs, "\n"))
	}
	for _, out := range []string{stdout.String(), stderr.String(), wout.String(), werr.String()} {
		if strings.Contains(out, testToken[10:40]) {
			t.Errorf("the tunnel token leaked:\n%s", out)
		}
	}
}

// countedCalls reads the Docker call count from check's debug log (the
// "docker origins inspected" line comes after the last Docker read).
func countedCalls(stderr []byte) int {
	n := 0
	for _, line := range bytes.Split(stderr, []byte("\n")) {
		var l struct {
			Message string `json:"message"`
			Calls   int    `json:"calls"`
		}
		if json.Unmarshal(line, &l) == nil && l.Message == "docker origins inspected" {
			n = l.Calls
		}
	}
	return n
}
