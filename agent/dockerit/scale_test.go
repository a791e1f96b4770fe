package dockerit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockertest"
)

// BenchmarkCollect50Containers times a real one-shot collection (Docker
// discovery, topology, origin inspection; ingress from a file) and the
// checks, on a host with 50 origin containers on 5 networks, cloudflared
// on 3 of them, and one rule per origin plus 10 rules with typos. It
// reports the Docker API calls per run.
//
//	go test ./agent/dockerit -run '^$' -bench Collect50 -benchtime 5x
func BenchmarkCollect50Containers(b *testing.B) {
	dockertest.RequireDocker(b)
	img := dockertest.OriginImage(b, "")
	cfImg := dockertest.CloudflaredImage(b, "")
	var nets []string
	for i := 0; i < 5; i++ {
		nets = append(nets, dockertest.Network(b, fmt.Sprintf("s%d", i), dockertest.NetworkOptions{}))
	}
	cf := dockertest.Run(b, dockertest.Spec{Name: "cf", Image: cfImg, Network: nets[0], More: nets[1:3],
		Args: []string{"tunnel", "run"}, Env: []string{"TUNNEL_TOKEN=" + testToken}})
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
	var cfg strings.Builder
	cfg.WriteString("ingress:\n")
	for i, n := range names {
		fmt.Fprintf(&cfg, "  - hostname: o%d.example.com\n    service: http://%s:8080\n", i, n)
	}
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&cfg, "  - hostname: t%d.example.com\n    service: http://%sx:8080\n", i, names[i])
	}
	cfg.WriteString("  - service: http_status:404\n")
	path := filepath.Join(b.TempDir(), "config.yml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	opts := agent.Options{
		Ingress:     agent.IngressOptions{ConfigPath: path},
		Docker:      agent.DockerOptions{Cloudflared: cf.Name, SelfHints: []dockernet.Hint{}},
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
			byCode[f.Code+"/"+f.Severity.String()]++
		}
		if snap.Docker.Missing != "" {
			b.Fatal(snap.Docker.Missing)
		}
	}
	b.ReportMetric(float64(calls), "docker-calls/run")
	b.ReportMetric(float64(findings), "findings/run")
	b.Logf("%d runs in %s; %d Docker calls and %d findings per run: %v", b.N, time.Since(start), calls, findings, byCode)
}
