package probeit

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// testToken is a well-formed tunnel token (account "acc0unt", tunnel
// 6ff42ae2-..., a fake secret) so the stand-in starts as "connected".
const testToken = "eyJhIjoiYWNjMHVudCIsInQiOiI2ZmY0MmFlMi03NjVkLTRhZGYtODExMi0zMWM1NWMxNTUxZWYiLCJzIjoiYm05MExXRXRjbVZoYkMxelpXTnlaWFF0ZG1Gc2RXVT0ifQ=="

// tokenSecret is the token's secret ("s"), which no output may carry.
const tokenSecret = "bm90LWEtcmVhbC1zZWNyZXQtdmFsdWU="

// finding is the part of the stable JSON report these tests read.
type finding struct {
	Code     string            `json:"code"`
	Severity string            `json:"severity"`
	Hostname string            `json:"hostname"`
	Rule     int               `json:"rule"`
	Message  string            `json:"message"`
	Fix      string            `json:"fix"`
	Evidence map[string]string `json:"evidence"`
}

type report struct {
	Findings []finding `json:"findings"`
	ExitCode int       `json:"exit_code"`
}

// probeFindings groups the protocol findings that were not skipped by rule.
func (r report) probeFindings() map[int][]finding {
	by := map[int][]finding{}
	for _, f := range r.Findings {
		if strings.HasPrefix(f.Code, "PRB") && f.Severity != "skipped" {
			by[f.Rule] = append(by[f.Rule], f)
		}
	}
	return by
}

// ingressRule is one rule of the dashboard-managed configuration the
// stand-in serves on /config (JSON, as cloudflared's remote config).
type ingressRule struct {
	Hostname      string         `json:"hostname,omitempty"`
	Service       string         `json:"service"`
	OriginRequest map[string]any `json:"originRequest,omitempty"`
}

// images are the three images every end-to-end test runs.
type images struct{ origin, standin, tunneldoctor string }

func buildImages(t *testing.T) images {
	t.Helper()
	return images{
		origin:  dockertest.OriginImage(t, ""),
		standin: dockertest.StandinImage(t),
		tunneldoctor: dockertest.Image(t, dockertest.ImageSpec{
			Package: "github.com/tunneldoctor/tunneldoctor/cmd/tunneldoctor", Repo: dockertest.Prefix + "tunneldoctor",
		}),
	}
}

// startCloudflared runs the stand-in cloudflared on network with rules as
// its remote configuration (a http_status:404 catch-all is appended) and
// waits until it reports connected. tunneldoctor reads the rules from its
// /config, with nothing mounted.
func startCloudflared(t *testing.T, img images, network string, rules []ingressRule, env, volumes []string) dockertest.Container {
	t.Helper()
	remote, err := json.Marshal(map[string]any{"ingress": append(rules, ingressRule{Service: "http_status:404"})})
	if err != nil {
		t.Fatal(err)
	}
	cf := dockertest.Run(t, dockertest.Spec{Name: "cf", Image: img.standin, Network: network,
		Args:    []string{"tunnel", "--metrics", "0.0.0.0:20241", "run"},
		Env:     append([]string{"TUNNEL_TOKEN=" + testToken, "STANDIN_CONFIG_JSON=" + string(remote)}, env...),
		Volumes: volumes})
	dockertest.WaitState(t, cf.ID, "healthy", 60*time.Second)
	return cf
}

// checkRun is one `tunneldoctor check --output json` and what it took.
type checkRun struct {
	report  report
	stderr  string
	elapsed time.Duration
}

// runCheck runs `tunneldoctor check --output json` in a container sharing
// cf's network namespace, with the Docker socket read-only and volumes
// mounted (e.g. the caPool file at the path the rules name). It never
// reaches the internet: no status page, no public probe.
func runCheck(t *testing.T, img images, cf dockertest.Container, probeTimeout string, volumes ...string) checkRun {
	t.Helper()
	name := dockertest.Name("td")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := []string{"run", "--rm", "--pull", "never", "--name", name, "--label", "tdtest=1",
		"--network", "container:" + cf.ID, "-v", "/var/run/docker.sock:/var/run/docker.sock:ro"}
	for _, v := range volumes {
		args = append(args, "-v", v)
	}
	args = append(args, img.tunneldoctor, "check", "--cloudflared", cf.Name, "--output", "json",
		"--probe-timeout", probeTimeout, "--no-public-probe", "--no-status-page")
	cmd := exec.CommandContext(ctx, "docker", args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	run := checkRun{stderr: stderr.String(), elapsed: time.Since(start)}
	if jerr := json.Unmarshal(out, &run.report); jerr != nil {
		t.Fatalf("tunneldoctor check: %v, output not JSON (%v):\n%s\nstderr:\n%s", err, jerr, out, run.stderr)
	}
	// cloudflared's token is in the inspect data tunneldoctor reads.
	for _, secret := range []string{testToken, tokenSecret} {
		if strings.Contains(string(out)+run.stderr, secret) {
			t.Errorf("tunneldoctor's output leaks the tunnel token's secret %q", secret)
		}
	}
	return run
}

// logReport prints the findings when the test failed or runs verbose.
func logReport(t *testing.T, run checkRun) {
	t.Helper()
	if !t.Failed() && !testing.Verbose() {
		return
	}
	for _, f := range run.report.Findings {
		t.Logf("%s %s rule=%d: %s\n  fix: %s\n  evidence: %v", f.Severity, f.Code, f.Rule, f.Message, f.Fix, f.Evidence)
	}
	t.Logf("check took %s; stderr:\n%s", run.elapsed.Round(time.Millisecond), run.stderr)
}

// findingOf returns rule's finding with code, or nil.
func findingOf(by map[int][]finding, rule int, code string) *finding {
	for i := range by[rule] {
		if by[rule][i].Code == code {
			return &by[rule][i]
		}
	}
	return nil
}
