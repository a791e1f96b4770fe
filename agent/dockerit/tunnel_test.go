package dockerit

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// These tests break cloudflared for real: the stand-in cloudflared (the
// official image's shape, cloudflared's own log lines, its metrics server)
// runs in the situation STANDIN_MODE names, and tunneldoctor collects from
// the host as `tunneldoctor check --cloudflared NAME --no-probe` does:
// discovery, the metrics server at the container's IP, the logs through the
// Engine API. The stand-in simulates the edge and dials nothing.

// standin starts the stand-in cloudflared with a valid token and its
// metrics server on 0.0.0.0:20241, plus env and args.
func standin(t *testing.T, network string, env []string, args []string, extra ...func(*dockertest.Spec)) dockertest.Container {
	t.Helper()
	if args == nil {
		args = []string{"tunnel", "--metrics", "0.0.0.0:20241", "run"}
	}
	s := dockertest.Spec{Name: "cf", Image: dockertest.StandinImage(t), Network: network, Args: args,
		Env: append([]string{"TUNNEL_TOKEN=" + testToken, "STANDIN_RETRY_EVERY=200ms"}, env...)}
	for _, f := range extra {
		f(&s)
	}
	return dockertest.Run(t, s)
}

// tunnelOnly asserts that code is the only tunnel finding above info: one
// failure, one finding (TUN001/TUN008 stay quiet when a cause is known).
func tunnelOnly(t *testing.T, r run, code string) {
	t.Helper()
	for _, f := range r.findings {
		if f.Hop == agent.HopTunnel && f.Severity > agent.Info && f.Code != code {
			t.Errorf("beside %s: %s %s: %s", code, f.Severity, f.Code, f.Message)
		}
	}
}

func TestCloudflaredCrashLoopingWithoutTunnel(t *testing.T) {
	t.Parallel()
	dockertest.RequireDocker(t)
	net := dockertest.Network(t, "tunloop", dockertest.NetworkOptions{})
	// No token and no tunnel name: cloudflared prints its usage error and
	// exits 255; restart: always makes Docker restart it forever.
	cf := dockertest.Run(t, dockertest.Spec{Name: "cf", Image: dockertest.StandinImage(t), Network: net,
		Args: []string{"tunnel", "run"}, Restart: "always"})
	dockertest.WaitRestarts(t, cf.ID, 3, 60*time.Second)
	// The restart count goes up as Docker starts the container again, and
	// a start resets State.ExitCode to 0: a diagnosis in the moment the
	// process runs (before it exits 255 again) sees "running, exit code 0".
	// The exit code asserted below is only there between two restarts, so
	// diagnose until the snapshot caught it there; the back-off doubles at
	// each restart, so that window soon dominates.
	var r run
	dockertest.Eventually(t, 60*time.Second, cf.Name+" diagnosed between two restarts", func() (bool, string) {
		r = diagnose(t, setup{cloudflared: cf.Name, tunnel: true})
		p := r.snap.Cloudflared.Process
		if p == nil {
			return false, "no process state: " + r.snap.Cloudflared.Missing
		}
		return p.State == "restarting", fmt.Sprintf("%s, exit code %d, %d restarts", p.State, p.ExitCode, p.RestartCount)
	})
	f := r.one(t, "TUN001", agent.Error)
	contains(t, "TUN001 message", f.Message, cf.Name, "crash-looping", "restarted", "exit code 255", "requires the ID or name of the tunnel")
	contains(t, "TUN001 fix", f.Fix, "tunnel run --token <token>", "TUNNEL_TOKEN", "tunnel: <UUID>")
	contains(t, "TUN001 log line", f.Evidence["log_line"], "requires the ID or name of the tunnel")
	tunnelOnly(t, r, "TUN001")
}

func TestCloudflaredStopped(t *testing.T) {
	t.Parallel()
	dockertest.RequireDocker(t)
	net := dockertest.Network(t, "tunstop", dockertest.NetworkOptions{})
	cf := standin(t, net, nil, nil)
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	dockertest.Docker(t, "stop", "-t", "10", cf.ID) // SIGTERM: a graceful exit 0
	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true})
	f := r.one(t, "TUN001", agent.Error)
	contains(t, "TUN001 message", f.Message, cf.Name, "is exited (exit code 0)", "no connector")
	contains(t, "TUN001 fix", f.Fix, "docker logs --tail 50 "+cf.Name, "docker start "+cf.Name, "`docker stop`")
	if f.Evidence["state"] != "exited" || f.Evidence["exit_code"] != "0" {
		t.Errorf("evidence: %v", f.Evidence)
	}
	tunnelOnly(t, r, "TUN001")
}

func TestCloudflaredEdgeDNSFailure(t *testing.T) {
	t.Parallel()
	dockertest.RequireDocker(t)
	net := dockertest.Network(t, "tundns", dockertest.NetworkOptions{})
	cf := standin(t, net, []string{"STANDIN_MODE=dns-fail"}, nil)
	dockertest.WaitState(t, cf.ID, "exited", 30*time.Second)
	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true})
	f := r.one(t, "TUN004", agent.Error)
	contains(t, "TUN004 message", f.Message, cf.Name, "_v2-origintunneld._tcp.argotunnel.com", "server misbehaving")
	contains(t, "TUN004 fix", f.Fix, `dns: ["1.1.1.1", "1.0.0.1"]`, "--dns 1.1.1.1", "docker restart "+cf.Name)
	contains(t, "TUN004 log line", f.Evidence["log_line"], "Could not lookup srv records on _v2-origintunneld._tcp.argotunnel.com")
	tunnelOnly(t, r, "TUN004")
}

func TestCloudflaredTCP7844Blocked(t *testing.T) {
	t.Parallel()
	dockertest.RequireDocker(t)
	net := dockertest.Network(t, "tuntcp", dockertest.NetworkOptions{})
	cf := standin(t, net, []string{"STANDIN_MODE=tcp-blocked"},
		[]string{"tunnel", "--metrics", "0.0.0.0:20241", "run", "--protocol", "http2"})
	dockertest.WaitLog(t, cf.ID, "Unable to establish connection with Cloudflare edge", 30*time.Second)
	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true})
	f := r.one(t, "TUN006", agent.Error)
	contains(t, "TUN006 message", f.Message, cf.Name, "TCP 7844", "dial tcp 198.41.192.227:7844: i/o timeout")
	contains(t, "TUN006 fix", f.Fix, "Allow egress to port 7844 over TCP and UDP", "region1.v2.argotunnel.com", "remove `--protocol http2`")
	if !strings.Contains(f.Evidence["ready"], "HTTP 503") {
		t.Errorf("TUN006 evidence lacks the /ready 503: %v", f.Evidence)
	}
	tunnelOnly(t, r, "TUN006")
}

func TestCloudflaredUnauthorized(t *testing.T) {
	t.Parallel()
	dockertest.RequireDocker(t)
	net := dockertest.Network(t, "tunauth", dockertest.NetworkOptions{})
	cf := standin(t, net, []string{"STANDIN_MODE=unauthorized"}, nil)
	dockertest.WaitLog(t, cf.ID, "Unauthorized", 30*time.Second)
	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true})
	f := r.one(t, "TUN007", agent.Error)
	contains(t, "TUN007 message", f.Message, cf.Name, "Unauthorized: Invalid tunnel secret")
	contains(t, "TUN007 fix", f.Fix, "no longer matches the tunnel", "TUNNEL_TOKEN", "docker restart "+cf.Name,
		"cloudflared presents tunnel 6ff42ae2-765d-4adf-8112-31c55c1551ef")
	tunnelOnly(t, r, "TUN007")
	for _, out := range []string{r.dump(), r.log} {
		if strings.Contains(out, testToken[10:40]) {
			t.Errorf("the tunnel token leaked:\n%s", out)
		}
	}
}

// TestCloudflaredUpButNotReady: the process runs and its metrics server
// answers, but no connection has registered (/ready 503) and the log names
// no cause. Fresh, it may still be connecting (warn); after 30 s it is an
// error.
func TestCloudflaredUpButNotReady(t *testing.T) {
	t.Parallel()
	dockertest.RequireDocker(t)
	net := dockertest.Network(t, "tunready", dockertest.NetworkOptions{})
	cf := standin(t, net, []string{"STANDIN_CONNECT_DELAY=1h"}, nil)
	dockertest.WaitLog(t, cf.ID, "Starting metrics server", 30*time.Second)
	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true})
	f := r.one(t, "TUN008", agent.Warn)
	contains(t, "TUN008 (fresh)", f.Message, cf.Name, "/ready: 503", "may still be connecting")
	tunnelOnly(t, r, "TUN008")

	// 30 s later: checks judge age by the snapshot's clock (Taken against
	// the container's StartedAt), so the facts of a fresh collection are
	// judged as taken 31 s after the start instead of waiting for it.
	r = diagnose(t, setup{cloudflared: cf.Name, tunnel: true})
	p := r.snap.Cloudflared.Process
	if p == nil || p.StartedAt.IsZero() {
		t.Fatalf("no start time for %s: %+v", cf.Name, p)
	}
	r.snap.Taken = p.StartedAt.Add(31 * time.Second)
	r.findings = agent.Run(r.snap, checks.All())
	f = r.one(t, "TUN008", agent.Error)
	contains(t, "TUN008", f.Message, cf.Name, "holds no connection", "readyConnections 0")
	contains(t, "TUN008 fix", f.Fix, "docker logs --tail 100 "+cf.Name, "port 7844", "argotunnel.com")
	if !strings.Contains(f.Evidence["ready"], "HTTP 503, readyConnections 0") || !strings.HasSuffix(f.Evidence["metrics_server"], ":20241") {
		t.Errorf("TUN008 evidence: %v", f.Evidence)
	}
	if strings.Contains(f.Message, "may still be connecting") {
		t.Errorf("after 30 s it is not \"still connecting\": %s", f.Message)
	}
	tunnelOnly(t, r, "TUN008")
}

// TestCloudflaredStaticEdgeDNSFailure: with --edge cloudflared does no SRV
// discovery; when the resolver cannot resolve the one --edge name it exits
// with "failed to resolve any edge address". TUN004 says that (not the SRV
// story) and its fix is applied as printed: the example IP:port from the
// fix replaces the name, the container is re-created with `docker rm -f`
// and run again, on the same broken resolver, and TUN004 is gone.
func TestCloudflaredStaticEdgeDNSFailure(t *testing.T) {
	t.Parallel()
	dockertest.RequireDocker(t)
	net := dockertest.Network(t, "tunedge", dockertest.NetworkOptions{})
	env := []string{"STANDIN_MODE=dns-fail"}
	cf := standin(t, net, env, []string{"tunnel", "--metrics", "0.0.0.0:20241", "--edge", "edge.internal:7844", "run"})
	dockertest.WaitState(t, cf.ID, "exited", 30*time.Second)
	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true})
	f := r.one(t, "TUN004", agent.Error)
	contains(t, "TUN004 message", f.Message, cf.Name, "--edge edge.internal:7844", "exits", "failed to resolve any edge address",
		"lookup edge.internal on 127.0.0.11:53: server misbehaving")
	if strings.Contains(f.Message, "SRV") {
		t.Errorf("TUN004 tells the SRV story although --edge is set: %s", f.Message)
	}
	contains(t, "TUN004 log line", f.Evidence["log_line"], "failed to resolve to TCP address")
	tunnelOnly(t, r, "TUN004")

	// Apply the fix: its IP:port example for --edge, and its re-create.
	edge := regexp.MustCompile(`--edge (\d+\.\d+\.\d+\.\d+:\d+)`).FindStringSubmatch(f.Fix)
	rm := regexp.MustCompile("`(docker rm -f [^`]+)`").FindStringSubmatch(f.Fix)
	if edge == nil || rm == nil {
		t.Fatalf("TUN004 fix names no IP:port --edge or no `docker rm -f`: %s", f.Fix)
	}
	dockertest.Docker(t, strings.Fields(rm[1])[1:]...)
	cf = standin(t, net, env, []string{"tunnel", "--metrics", "0.0.0.0:20241", "--edge", edge[1], "run"})
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	r = diagnose(t, setup{cloudflared: cf.Name, tunnel: true})
	r.none(t, "TUN004")
	tunnelOnly(t, r, "")
}
