package dockerit

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// haproxy is a GET-only Docker socket proxy on a loopback port, standing in
// for docker-socket-proxy. Its log (one line per request, to stdout) is
// the proof of what was asked.
type haproxy struct {
	addr string
	mu   sync.Mutex
	log  bytes.Buffer
}

// startHAProxy runs haproxy in the foreground; extraDeny adds deny rules
// (to play a proxy that refuses some reads).
func startHAProxy(t *testing.T, extraDeny ...string) *haproxy {
	t.Helper()
	bin := dockertest.RequireProgram(t, "haproxy", "haproxy")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var deny strings.Builder
	for _, d := range extraDeny {
		fmt.Fprintf(&deny, "  http-request deny deny_status 403 if %s\n", d)
	}
	cfg := fmt.Sprintf(`global
  log stdout format raw local0
defaults
  mode http
  log global
  option httplog
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend docker
  bind %s
  # GET and HEAD only (the predefined METH_GET ACL matches both).
  http-request deny deny_status 403 unless METH_GET
%s  default_backend socket
backend socket
  server engine /var/run/docker.sock
`, addr, deny.String())
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	h := &haproxy{addr: addr}
	cmd := exec.Command(bin, "-db", "-f", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			h.mu.Lock()
			h.log.WriteString(sc.Text() + "\n")
			h.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		<-done
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("haproxy did not listen on %s: %s", addr, h.text())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return h
}

func (h *haproxy) text() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.log.String()
}

var requestLine = regexp.MustCompile(`" ?([A-Z]+) (\S+) HTTP/[0-9.]+"`)

// requests returns "METHOD path status" per logged request, after waiting
// briefly for the log to catch up with want lines.
func (h *haproxy) requests(want int) []string {
	deadline := time.Now().Add(3 * time.Second)
	for {
		var out []string
		for _, line := range strings.Split(h.text(), "\n") {
			if m := requestLine.FindStringSubmatch(line); m != nil {
				out = append(out, m[1]+" "+m[2]+" "+statusOf(line))
			}
		}
		if len(out) >= want || time.Now().After(deadline) {
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// statusOf takes the status from an httplog line: "... 200 1234 - - ---- ...".
var statusField = regexp.MustCompile(`\s(\d{3})\s+\d+\s`)

func statusOf(line string) string {
	if m := statusField.FindStringSubmatch(line); m != nil {
		return m[1]
	}
	return "?"
}

// TestBehindGetOnlySocketProxy runs discovery, topology and the origin
// reads through HAProxy: everything works, and the proxy's log shows only
// GET and HEAD, exactly as many requests as the client counted.
func TestBehindGetOnlySocketProxy(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	proxy := startHAProxy(t)
	front := dockertest.Network(t, "pxf", dockertest.NetworkOptions{})
	back := dockertest.Network(t, "pxb", dockertest.NetworkOptions{})
	cf := startCloudflared(t, im, front)
	ok := origin(t, im.origin, front, nil)
	lost := origin(t, im.origin, back, nil)
	dead := origin(t, im.origin, front, []string{"--exit-after", "200ms", "--say", "dying now"})
	dockertest.WaitState(t, dead.ID, "exited", 20*time.Second)

	r := diagnose(t, setup{cloudflared: cf.Name, host: "tcp://" + proxy.addr,
		services: []string{"http://" + ok.Name + ":8080", "http://" + lost.Name + ":8080", "http://" + dead.Name + ":8080"}})
	r.one(t, "NET001", agent.Error)
	f := r.one(t, "ORG001", agent.Error)
	contains(t, "ORG001 log via proxy", f.Evidence["last_log"], "dying now")
	r.none(t, "AGT101")
	r.none(t, "AGT103")

	calls := r.snap.Docker.Calls
	if calls < 5 {
		t.Fatalf("only %d Docker calls counted", calls)
	}
	reqs := proxy.requests(calls)
	t.Logf("%d requests through the proxy:\n%s", len(reqs), strings.Join(reqs, "\n"))
	if len(reqs) != calls {
		t.Errorf("client counted %d calls, proxy logged %d:\n%s", calls, len(reqs), strings.Join(reqs, "\n"))
	}
	for _, q := range reqs {
		if !strings.HasPrefix(q, "GET ") && !strings.HasPrefix(q, "HEAD ") {
			t.Errorf("non-read request reached the proxy: %s", q)
		}
		if strings.HasSuffix(q, " 403") {
			t.Errorf("a read was refused: %s", q)
		}
	}

	// The proxy itself really refuses writes (so the log above means
	// something): a POST gets 403 and shows up in the log.
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://"+proxy.addr+"/v1.41/containers/"+ok.ID+"/pause", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("proxy let a POST through: %d", resp.StatusCode)
	}
	if out := dockertest.Docker(t, "inspect", "--format", "{{.State.Status}}", ok.ID); out != "running" {
		t.Fatalf("the origin was paused through the proxy: %s", out)
	}
}

// TestProxyRefusingNetworksMeansUnknown: a proxy that refuses /networks
// makes those facts unknown (AGT103), not absent: no false alarm.
func TestProxyRefusingNetworksMeansUnknown(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	proxy := startHAProxy(t, `{ path_reg ^(/v[0-9.]+)?/networks }`)
	net := dockertest.Network(t, "pxn", dockertest.NetworkOptions{ICCDisabled: true})
	cf := startCloudflared(t, im, net)
	web := origin(t, im.origin, net, nil)
	r := diagnose(t, setup{cloudflared: cf.Name, host: "tcp://" + proxy.addr, services: []string{"http://" + web.Name + ":8080"}})
	f := r.one(t, "AGT103", agent.Warn)
	contains(t, "AGT103", f.Message, "network details", "refused")
	// ICC is unknown without the network list: NET006 must not guess
	// either way, and the name still resolves from the containers' data.
	r.none(t, "NET006")
	r.none(t, "NET003")
	r.none(t, "NET001")
}
