package dockerit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockertest"
)

// fifty is a host with 50 origin containers on 5 networks, cloudflared on
// 3 of them, and one rule per origin plus 10 rules with typos.
type fifty struct {
	cf    dockertest.Container
	rules []string // services, in rule order
}

// startFifty sets the host up. cfImage is the discovery stand-in or the
// full stand-in (then the rules are its dashboard configuration); internal
// networks keep probes from cloudflared's namespace on the machine.
func startFifty(b *testing.B, cfImage string, internal bool) fifty {
	b.Helper()
	img := dockertest.OriginImage(b, "")
	var nets []string
	for i := 0; i < 5; i++ {
		nets = append(nets, dockertest.Network(b, fmt.Sprintf("s%d", i), dockertest.NetworkOptions{Internal: internal}))
	}
	names := make([]string, 50)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := dockertest.Run(b, dockertest.Spec{Name: fmt.Sprintf("o%02d", i), Image: img, Network: nets[i%5]})
			mu.Lock()
			names[i] = c.Name
			mu.Unlock()
		}()
	}
	wg.Wait()
	var rules []string
	for _, n := range names {
		rules = append(rules, "http://"+n+":8080")
	}
	for i := 0; i < 10; i++ {
		rules = append(rules, "http://"+names[i]+"x:8080")
	}
	type rule struct {
		Hostname string `json:"hostname,omitempty"`
		Service  string `json:"service"`
	}
	var remote []rule
	for i, svc := range rules {
		remote = append(remote, rule{fmt.Sprintf("r%d.example.com", i), svc})
	}
	cfg, err := json.Marshal(map[string]any{"ingress": append(remote, rule{Service: "http_status:404"})})
	if err != nil {
		b.Fatal(err)
	}
	cf := dockertest.Run(b, dockertest.Spec{Name: "cf", Image: cfImage, Network: nets[0], More: nets[1:3],
		Args: []string{"tunnel", "--metrics", "0.0.0.0:20241", "run"},
		Env:  []string{"TUNNEL_TOKEN=" + testToken, "STANDIN_CONFIG_JSON=" + string(cfg)}})
	return fifty{cf: cf, rules: rules}
}

// BenchmarkCollect50Containers times a real one-shot collection (Docker
// discovery, topology, origin inspection; ingress from a file) and the
// checks, in-process on the host, on the fifty-origin host. It reports the
// Docker API calls per run.
//
//	go test ./agent/dockerit -run '^$' -bench Collect50 -benchtime 5x
func BenchmarkCollect50Containers(b *testing.B) {
	dockertest.RequireDocker(b)
	h := startFifty(b, dockertest.CloudflaredImage(b, ""), false)
	var cfg strings.Builder
	cfg.WriteString("ingress:\n")
	for i, svc := range h.rules {
		fmt.Fprintf(&cfg, "  - hostname: r%d.example.com\n    service: %s\n", i, svc)
	}
	cfg.WriteString("  - service: http_status:404\n")
	path := filepath.Join(b.TempDir(), "config.yml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	opts := agent.Options{
		Ingress:     agent.IngressOptions{ConfigPath: path},
		Docker:      agent.DockerOptions{Cloudflared: h.cf.Name, SelfHints: []dockernet.Hint{}, Dialer: dialDocker},
		Cloudflared: agent.CloudflaredOptions{Disabled: "not measured"},
		Probes:      agent.ProbeOptions{Disabled: "not measured"},
		Edge:        agent.EdgeOptions{Disabled: "not measured"},
	}
	calls, findings := 0, 0
	byCode := map[string]int{}
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		snap := agent.Collect(context.Background(), opts)
		fs := agent.Run(snap, checks.All())
		calls, findings = snap.Docker.Calls, len(fs)
		clear(byCode)
		for _, f := range fs {
			if f.Severity != agent.Skipped {
				byCode[f.Code+"/"+f.Severity.String()]++
			}
		}
		if snap.Docker.Missing != "" {
			b.Fatal(snap.Docker.Missing)
		}
	}
	b.ReportMetric(float64(calls), "docker-calls/run")
	b.ReportMetric(float64(findings), "findings/run")
	b.Logf("%d runs in %s; %d Docker calls and %d findings per run (not skipped: %v)", b.N, time.Since(start), calls, findings, byCode)
}

// BenchmarkImageCheck50Containers times the real one-shot run a user does,
//
//	docker run --rm --network container:<cloudflared> \
//	  -v /var/run/docker.sock:/var/run/docker.sock:ro tunneldoctor check
//
// on the fifty-origin host with the full stand-in cloudflared: container
// start, discovery, topology, cloudflared's metrics and logs, and a probe of
// all 60 rules from cloudflared's namespace. The networks are internal:
// lookups of the 30 names cloudflared cannot resolve are dropped at the
// bridge (they never leave the machine) and wait out --probe-timeout. Besides
// ns/op (the whole docker run) it reports tunneldoctor's own time, with the
// probes and with --no-probe.
//
//	go test ./agent/dockerit -run '^$' -bench ImageCheck50 -benchtime 3x
func BenchmarkImageCheck50Containers(b *testing.B) {
	dockertest.RequireDocker(b)
	td := dockertest.Image(b, dockertest.ImageSpec{
		Package: "github.com/tunneldoctor/tunneldoctor/cmd/tunneldoctor", Repo: dockertest.Prefix + "tunneldoctor",
	})
	h := startFifty(b, dockertest.StandinImage(b), true)
	dockertest.WaitState(b, h.cf.ID, "healthy", 60*time.Second)
	for _, mode := range []struct{ name, flag string }{{"probes", ""}, {"no-probe", "--no-probe"}} {
		b.Run(mode.name, func(b *testing.B) {
			var took time.Duration
			var codes []string
			for b.Loop() {
				took, codes = imageCheck(b, td, h.cf.Name, mode.flag)
			}
			b.ReportMetric(float64(took.Milliseconds()), "check-ms/run")
			b.Logf("%d runs; tunneldoctor's own time %s in the last; findings %v", b.N, took, codes)
		})
	}
}

// imageCheck runs the tunneldoctor image once in cloudflared's namespace
// and returns its own time and the findings by code and severity.
func imageCheck(b *testing.B, image, cf, extra string) (time.Duration, []string) {
	b.Helper()
	args := []string{"run", "--rm", "--name", dockertest.Name("td"), "--label", "tdtest=1",
		"--network", "container:" + cf, "-v", "/var/run/docker.sock:/var/run/docker.sock:ro",
		image, "check", "--output", "json", "--log-level", "debug", "--probe-timeout", "3s",
		"--no-status-page", "--no-public-probe"}
	if extra != "" {
		args = append(args, extra)
	}
	cmd := exec.Command("docker", args...)
	stdout, stderr, _ := runExit(b, cmd)
	var report struct {
		Findings []struct{ Code, Severity string } `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		b.Fatalf("report is not JSON: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	count := map[string]int{}
	for _, f := range report.Findings {
		count[f.Code+"/"+f.Severity]++
	}
	var codes []string
	for c, n := range count {
		codes = append(codes, fmt.Sprintf("%s:%d", c, n))
	}
	sort.Strings(codes)
	return checkTook(stderr.Bytes()), codes
}

// checkTook reads the "check done" debug line's duration (milliseconds).
func checkTook(stderr []byte) time.Duration {
	sc := bufio.NewScanner(bytes.NewReader(stderr))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var line struct {
			Message string  `json:"message"`
			Took    float64 `json:"took"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Message == "check done" {
			return time.Duration(line.Took * float64(time.Millisecond))
		}
	}
	return 0
}
