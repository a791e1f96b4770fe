package dockerit

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// TestImageInCloudflaredsNamespace runs tunneldoctor as a user would:
//
//	docker run --rm --network container:<cloudflared> \
//	  -v /var/run/docker.sock:/var/run/docker.sock:ro tunneldoctor check
//
// with the image built offline (deploy/build-image-offline.sh), against the
// stand-in cloudflared, one healthy origin and one on a network cloudflared
// is not on. It checks the exit code and the JSON report: discovery with no
// name (tunneldoctor finds its own container and the namespace it shares),
// the network verdict and its fix, and that the token never shows.
func TestImageInCloudflaredsNamespace(t *testing.T) {
	dockertest.RequireDocker(t)
	_, file, _, _ := runtime.Caller(0)
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	tag := dockertest.Name("tunneldoctor") + ":e2e"
	build := exec.Command("bash", filepath.Join(repo, "deploy", "build-image-offline.sh"), tag)
	build.Env = append(os.Environ(), "VERSION=e2e")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the image offline: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = exec.Command("docker", "rmi", tag).CombinedOutput() })

	standin := dockertest.StandinImage(t)
	im := buildImages(t)
	// Both networks are internal: tunneldoctor probes from cloudflared's
	// namespace, and the lost origin's name is unknown there, so Docker's
	// DNS would forward its lookup upstream; with no route out it fails at
	// once instead of reaching the host's resolver. (cloudflared only on
	// internal networks is itself a finding, NET005; the stand-in dials
	// nothing, so it still "connects".)
	front := dockertest.Network(t, "e2ef", dockertest.NetworkOptions{Internal: true})
	back := dockertest.Network(t, "e2eb", dockertest.NetworkOptions{Internal: true})
	web := origin(t, im.origin, front, nil)
	lost := origin(t, im.origin, back, nil)

	// cloudflared reads the config from a mount; tunneldoctor gets no
	// --config and learns the rules from cloudflared's /config.
	cfgDir := t.TempDir()
	if err := os.Chmod(cfgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := "tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ningress:\n" +
		"  - hostname: ok.example.com\n    service: http://" + web.Name + ":8080\n" +
		"  - hostname: lost.example.com\n    service: http://" + lost.Name + ":8080\n" +
		"  - service: http_status:404\n"
	if err := os.WriteFile(filepath.Join(cfgDir, "config.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cf := dockertest.Run(t, dockertest.Spec{Name: "cloudflared", Image: standin, Network: front,
		Volumes: []string{cfgDir + ":/etc/cloudflared:ro"},
		Args:    []string{"tunnel", "--config", "/etc/cloudflared/config.yml", "--metrics", "0.0.0.0:20241", "run"},
		Env:     []string{"TUNNEL_TOKEN=" + testToken}})
	dockertest.WaitState(t, cf.ID, "healthy", 60*time.Second)
	dockertest.WaitState(t, web.ID, "running", 20*time.Second)

	var st syscall.Stat_t
	if err := syscall.Stat("/var/run/docker.sock", &st); err != nil {
		t.Fatal(err)
	}

	name := dockertest.Name("td")
	t.Cleanup(func() { _, _ = exec.Command("docker", "rm", "-f", name).CombinedOutput() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run := exec.CommandContext(ctx, "docker", "run", "--rm", "--name", name,
		"--network", "container:"+cf.Name,
		"--group-add", strconv.Itoa(int(st.Gid)),
		"-v", "/var/run/docker.sock:/var/run/docker.sock:ro",
		// Nothing may leave the machine: no status page, no visitor-side
		// probe of the public hostnames (no API token is given either).
		tag, "check", "--output", "json", "--no-status-page", "--no-public-probe")
	stdout, stderr, code := runExit(t, run)
	if code != 2 {
		t.Errorf("exit code %d, want 2 (an error found)\nstderr: %s", code, stderr.String())
	}
	if strings.Contains(stdout.String()+stderr.String(), testToken[20:60]) {
		t.Error("the tunnel token leaked into the output")
	}
	var report struct {
		Tunnel struct {
			ID          string `json:"id"`
			Cloudflared string `json:"cloudflared"`
		} `json:"tunnel"`
		Findings []struct {
			Code, Severity, Message, Fix string
			Rule                         int
		} `json:"findings"`
		ExitCode int `json:"exit_code"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("report is not JSON: %v\n%s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	if report.Tunnel.Cloudflared != cf.Name || report.Tunnel.ID != "6ff42ae2-765d-4adf-8112-31c55c1551ef" || report.ExitCode != code {
		t.Errorf("tunnel %+v exit %d", report.Tunnel, report.ExitCode)
	}
	var codes []string
	found, internalOnly := false, false
	for _, f := range report.Findings {
		codes = append(codes, f.Code+"/"+f.Severity)
		switch {
		case f.Code == "NET001" && f.Rule == 1:
			found = true
			if !strings.Contains(f.Fix, "docker network connect "+back+" "+cf.Name) {
				t.Errorf("NET001 fix: %s", f.Fix)
			}
		case f.Code == "NET005":
			internalOnly = true
		case f.Code == "NET009" || f.Code == "AGT102" || f.Code == "AGT101":
			t.Errorf("in cloudflared's namespace with the socket, yet %s: %s", f.Code, f.Message)
		case f.Severity == "error" && f.Rule == 0:
			t.Errorf("the healthy rule got an error: %s %s", f.Code, f.Message)
		}
	}
	if !found {
		t.Errorf("no NET001 for the origin on %s; findings: %v\n%s", back, codes, stdout.String())
	}
	if !internalOnly {
		t.Errorf("cloudflared is only on the internal network %s, yet no NET005; findings: %v", front, codes)
	}
}
