package dockerit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// TestHealthyFromCloudflaredsNamespaceWithProbes is the healthy setup with
// every local source on: the stand-in cloudflared connected, two origins
// beside it on a shared network, and tunneldoctor run as a user runs it,
// in a container sharing cloudflared's network namespace with the Docker
// socket, so the Docker, cloudflared and probe collectors all run and the
// probes resolve and dial the origins exactly as cloudflared would. Nothing
// may rise above info, and the exit code is 0.
//
// The origins sit on an internal network; cloudflared is also on a plain
// bridge (its egress, or NET005 would rightly fire). Every name probed is
// a container on the shared network, answered by Docker's DNS itself, so no
// lookup goes upstream; the status page, the public probe and the API
// (no token) are off, so nothing leaves the machine.
func TestHealthyFromCloudflaredsNamespaceWithProbes(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	td := dockertest.Image(t, dockertest.ImageSpec{
		Package: "github.com/tunneldoctor/tunneldoctor/cmd/tunneldoctor", Repo: dockertest.Prefix + "tunneldoctor",
	})
	apps := dockertest.Network(t, "okapps", dockertest.NetworkOptions{Internal: true})
	egress := dockertest.Network(t, "okegress", dockertest.NetworkOptions{})
	web1 := origin(t, im.origin, apps, nil)
	api := dockertest.Name("api") // unique: other tests on this daemon answer "api" too
	web2 := origin(t, im.health, apps, nil, func(s *dockertest.Spec) { s.Aliases = []string{api} })

	// The rules reach cloudflared as a dashboard-managed configuration:
	// tunneldoctor reads them from its /config, with no file and no flag.
	remote := `{"ingress":[` +
		`{"hostname":"app0.example.com","service":"http://` + web1.Name + `:8080"},` +
		`{"hostname":"app1.example.com","service":"http://` + api + `:8080"},` +
		`{"service":"http_status:404"}]}`
	cf := standin(t, apps, []string{"STANDIN_CONFIG_JSON=" + remote}, nil,
		func(s *dockertest.Spec) { s.More = []string{egress} })
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	dockertest.WaitState(t, web2.ID, "healthy", 30*time.Second)
	dockertest.WaitState(t, web1.ID, "running", 20*time.Second)

	name := dockertest.Name("td")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", "run", "--rm", "--name", name, "--label", "tdtest=1",
		"--network", "container:"+cf.Name,
		"-v", "/var/run/docker.sock:/var/run/docker.sock:ro",
		td, "check", "--output", "json", "--log-level", "debug",
		"--no-status-page", "--no-public-probe")
	stdout, stderr, code := runExit(t, cmd)
	var report struct {
		Tunnel struct {
			Cloudflared  string `json:"cloudflared"`
			ConfigSource string `json:"config_source"`
		} `json:"tunnel"`
		Findings []struct {
			Code, Severity, Message, Fix string
			Rule                         int
		} `json:"findings"`
		ExitCode int `json:"exit_code"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("exit %d, report is not JSON: %v\n%s\nstderr:\n%s", code, err, stdout.String(), stderr.String())
	}
	defer func() {
		if t.Failed() || testing.Verbose() {
			t.Logf("report:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
	}()
	if code != 0 || report.ExitCode != 0 {
		t.Errorf("exit code %d (report %d), want 0 for a healthy setup", code, report.ExitCode)
	}
	if report.Tunnel.Cloudflared != cf.Name {
		t.Errorf("tunnel info: %+v", report.Tunnel)
	}
	for _, f := range report.Findings {
		switch {
		case f.Severity == "warn" || f.Severity == "error":
			t.Errorf("healthy setup, yet %s %s (rule %d): %s", f.Severity, f.Code, f.Rule, f.Message)
		case f.Severity == "skipped" && !strings.HasPrefix(f.Code, "CF"):
			// Only the Cloudflare side (no token) may be skipped: the
			// Docker, cloudflared and probe checks must all have run.
			t.Errorf("%s was skipped: %s", f.Code, f.Message)
		case f.Code == "NET009":
			t.Errorf("in cloudflared's namespace, yet NET009: %s", f.Message)
		}
	}

	// The debug log shows the probes ran from cloudflared's namespace and
	// reached both origins with no failure cause.
	probed := map[float64]string{}
	vantage := ""
	sc := bufio.NewScanner(bytes.NewReader(stderr.Bytes()))
	for sc.Scan() {
		var line map[string]any
		if json.Unmarshal(sc.Bytes(), &line) != nil {
			continue
		}
		switch line["message"] {
		case "probing origins":
			vantage, _ = line["vantage"].(string)
		case "probed origin":
			rule, _ := line["rule"].(float64)
			cause, _ := line["cause"].(string)
			probed[rule] = cause
		}
	}
	if vantage != "cloudflared" {
		t.Errorf("probes ran from %q, want cloudflared's namespace", vantage)
	}
	for rule := range 2 {
		if cause, ok := probed[float64(rule)]; !ok || cause != "" {
			t.Errorf("rule %d: probed %v, cause %q; want a clean probe", rule, ok, cause)
		}
	}
	if out := stdout.String() + stderr.String(); strings.Contains(out, testToken[10:40]) {
		t.Error("the tunnel token leaked into the report or the debug log")
	}
}
