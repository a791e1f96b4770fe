package dockerit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockerapi"
)

func TestMain(m *testing.M) { os.Exit(dockertest.Main(m)) }

// runExit runs cmd and returns its output and exit code; only a failure to
// start it (or to wait for it) stops the test.
func runExit(tb testing.TB, cmd *exec.Cmd) (stdout, stderr *bytes.Buffer, code int) {
	tb.Helper()
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	var exit *exec.ExitError
	if err := cmd.Run(); errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		tb.Fatal(err)
	}
	return stdout, stderr, code
}

// run is one diagnosis of a real setup.
type run struct {
	snap     *agent.Snapshot
	findings []agent.Finding
	log      string // the run's debug log
}

// setup says how to diagnose: which cloudflared (by name; "" lets
// discovery choose), where tunneldoctor runs (hints), and the rules.
type setup struct {
	cloudflared string
	hints       []dockernet.Hint
	host        string // DOCKER_HOST override
	services    []string
	// tunnel turns the cloudflared collector on (its metrics server at the
	// container's IPs, its logs through the Engine API): test containers
	// only, nothing leaves the machine.
	tunnel bool
	// noConfig passes no --config: the rules come from cloudflared (its
	// /config, or its config file found through its mounts).
	noConfig bool
}

// diagnose writes a config with one rule per service (app<i>.example.com)
// plus a catch-all, collects with Docker and ingress (and cloudflared when
// s.tunnel), and runs every check. Probes and the Cloudflare side stay off:
// the test runs on the host, where names of test containers must not be
// looked up (they would go to the host's resolver), and nothing may reach
// the internet.
func diagnose(t *testing.T, s setup) run {
	t.Helper()
	return diagnoseWith(t, s, nil)
}

// diagnoseWith is diagnose with a lent Docker client (nil: its own).
func diagnoseWith(t *testing.T, s setup, cli *dockerapi.Client) run {
	t.Helper()
	var b strings.Builder
	b.WriteString("tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ningress:\n")
	for i, svc := range s.services {
		fmt.Fprintf(&b, "  - hostname: app%d.example.com\n    service: %s\n", i, svc)
	}
	b.WriteString("  - service: http_status:404\n")
	cfg := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	hints := s.hints
	if hints == nil {
		hints = []dockernet.Hint{} // the test runs on the host: no self
	}
	var logBuf bytes.Buffer
	opts := collect.Options{
		Logger:      zerolog.New(&logBuf).Level(zerolog.DebugLevel),
		Ingress:     collect.IngressOptions{ConfigPath: cfg},
		Docker:      collect.DockerOptions{Cloudflared: s.cloudflared, SelfHints: hints, Host: s.host, Client: cli},
		Cloudflared: collect.CloudflaredOptions{Disabled: "not under test"},
		Probes:      collect.ProbeOptions{Disabled: "not under test"},
		Edge:        collect.EdgeOptions{Disabled: "not under test"},
	}
	if s.tunnel {
		opts.Cloudflared = collect.CloudflaredOptions{Timeout: 2 * time.Second}
	}
	if s.noConfig {
		opts.Ingress.ConfigPath = ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	snap := collect.Snapshot(ctx, opts)
	return run{snap: snap, findings: agent.Run(snap, checks.All()), log: logBuf.String()}
}

// find returns the findings with this code.
func (r run) find(code string) []agent.Finding {
	var out []agent.Finding
	for _, f := range r.findings {
		if f.Code == code && f.Severity != agent.Skipped {
			out = append(out, f)
		}
	}
	return out
}

// one asserts exactly one finding with code at severity and returns it.
func (r run) one(t *testing.T, code string, sev agent.Severity) agent.Finding {
	t.Helper()
	got := r.find(code)
	if len(got) != 1 || got[0].Severity != sev {
		t.Fatalf("want one %s %s finding, got %d:\n%s", sev, code, len(got), r.dump())
	}
	return got[0]
}

// none asserts no finding with code.
func (r run) none(t *testing.T, code string) {
	t.Helper()
	if got := r.find(code); len(got) > 0 {
		t.Errorf("unexpected %s:\n%s", code, r.dump())
	}
}

func (r run) dump() string {
	var b strings.Builder
	if r.snap.Docker.Missing != "" {
		fmt.Fprintf(&b, "docker missing: %s\n", r.snap.Docker.Missing)
	}
	for _, f := range r.findings {
		if f.Severity == agent.Skipped {
			continue
		}
		fmt.Fprintf(&b, "  %s %s rule=%d: %s\n    fix: %s\n", f.Severity, f.Code, f.Rule, f.Message, strings.ReplaceAll(f.Fix, "\n", "\n         "))
	}
	return b.String()
}

func contains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// images builds the test images once per test binary.
type images struct{ origin, health, cloudflared string }

func buildImages(t *testing.T) images {
	t.Helper()
	dockertest.RequireDocker(t)
	return images{
		origin:      dockertest.OriginImage(t, ""),
		health:      dockertest.OriginImage(t, "8080"),
		cloudflared: dockertest.CloudflaredImage(t, ""),
	}
}

// cloudflared starts the stand-in on a network, with a token in its env.
func startCloudflared(t *testing.T, im images, network string, extra ...func(*dockertest.Spec)) dockertest.Container {
	t.Helper()
	s := dockertest.Spec{Name: "cf", Image: im.cloudflared, Network: network,
		Args: []string{"tunnel", "--no-autoupdate", "run"},
		Env:  []string{"TUNNEL_TOKEN=" + testToken}}
	for _, f := range extra {
		f(&s)
	}
	c := dockertest.Run(t, s)
	dockertest.WaitState(t, c.ID, "running", 20*time.Second)
	return c
}

// testToken is a well-formed tunnel token: account "acc0unt", tunnel
// 6ff42ae2-..., secret "not-a-real-secret-value".
const testToken = "eyJhIjoiYWNjMHVudCIsInQiOiI2ZmY0MmFlMi03NjVkLTRhZGYtODExMi0zMWM1NWMxNTUxZWYiLCJzIjoiYm05MExXRXRjbVZoYkMxelpXTnlaWFF0ZG1Gc2RXVT0ifQ=="

func origin(t *testing.T, image, network string, args []string, extra ...func(*dockertest.Spec)) dockertest.Container {
	t.Helper()
	s := dockertest.Spec{Name: "web", Image: image, Network: network, Args: args}
	for _, f := range extra {
		f(&s)
	}
	return dockertest.Run(t, s)
}
