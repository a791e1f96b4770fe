package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// hostileOffline keeps a check to the hostile daemon: no probes, no API, no
// status page, no cloudflared metrics server.
var hostileOffline = []string{"--no-probe", "--no-public-probe", "--no-status-page", "--metrics", "off"}

// TestCheckHostileDockerAnswers runs the real binary against a fake Docker
// API whose answers never end: each becomes AGT105 naming its bound, and
// check finishes.
func TestCheckHostileDockerAnswers(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    dockertest.HostileOptions
		want string
	}{
		{"endless list", dockertest.HostileOptions{List: dockertest.Endless}, "containers list exceeded 16 MiB"},
		{"endless inspect", dockertest.HostileOptions{Inspect: dockertest.Endless}, "container inspect exceeded 4 MiB"},
	} {
		d := dockertest.StartHostile(t, tc.o)
		args := append([]string{"check", "--output", "json", "--docker-host", d.Host}, hostileOffline...)
		r := run(t, nil, args...)
		if !strings.Contains(r.stdout, `"code": "AGT105"`) || !strings.Contains(r.stdout, tc.want) {
			t.Errorf("%s: want AGT105 with %q:\n%s", tc.name, tc.want, r)
		}
	}
}

// peakRSS runs the binary until it exits, or until stopAfter and then
// SIGTERM, and returns its peak resident set in MB: the largest VmHWM read
// from /proc/PID/status while it ran. (Its rusage is no use: Go starts a
// child with vfork, so the child's maxrss counts the test process's own
// memory from before the exec.)
func peakRSS(b *testing.B, stopAfter time.Duration, args ...string) float64 {
	b.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + b.TempDir()}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	if stopAfter > 0 {
		timer := time.AfterFunc(stopAfter, func() { _ = cmd.Process.Signal(syscall.SIGTERM) })
		defer timer.Stop()
	}
	done := make(chan struct{})
	peak := make(chan int64)
	go func() {
		var kb int64
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		for {
			if data, err := os.ReadFile(status); err == nil {
				for _, line := range strings.Split(string(data), "\n") {
					if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
						var n int64
						if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &n); err == nil {
							kb = max(kb, n)
						}
					}
				}
			}
			select {
			case <-done:
				peak <- kb
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	_ = cmd.Wait()
	close(done)
	return float64(<-peak) / 1024
}

// BenchmarkCheckHostileDocker measures `check`'s peak RSS against a Docker
// API whose containers list is endless or 200 MB, or whose inspect never
// ends (issue 12: 909 MB before the bounds; target ≤ 100 MB):
//
//	go test ./cmd/tunneldoctor -run '^$' -bench CheckHostileDocker -benchtime 3x
func BenchmarkCheckHostileDocker(b *testing.B) {
	for _, tc := range []struct {
		name string
		o    dockertest.HostileOptions
	}{
		{"list=endless", dockertest.HostileOptions{List: dockertest.Endless}},
		{"list=200MB", dockertest.HostileOptions{List: dockertest.Huge}},
		{"inspect=endless", dockertest.HostileOptions{Inspect: dockertest.Endless}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			d := dockertest.StartHostile(b, tc.o)
			args := append([]string{"check", "--output", "json", "--docker-host", d.Host}, hostileOffline...)
			peak := 0.0
			for b.Loop() {
				peak = max(peak, peakRSS(b, 0, args...))
			}
			b.ReportMetric(peak, "peak-RSS-MB")
			b.ReportMetric(float64(d.Sent.Load())/float64(b.N)/(1<<20), "daemon-sent-MB/op")
		})
	}
}

// BenchmarkWatchHostileEvents measures `watch`'s peak RSS over 10 s against
// a Docker API whose event stream sends one never-ending event on every
// subscription (issue 12: 7.4 GB in 30 s before; target ≤ 100 MB):
//
//	go test ./cmd/tunneldoctor -run '^$' -bench WatchHostileEvents -benchtime 1x
func BenchmarkWatchHostileEvents(b *testing.B) {
	d := dockertest.StartHostile(b, dockertest.HostileOptions{Events: dockertest.Endless})
	args := append([]string{"watch", "--docker-host", d.Host, "--listen", "127.0.0.1:0", "--interval", "2s"}, hostileOffline...)
	peak := 0.0
	for b.Loop() {
		peak = max(peak, peakRSS(b, 10*time.Second, args...))
	}
	b.ReportMetric(peak, "peak-RSS-MB")
	b.ReportMetric(float64(d.Requests.Load())/float64(b.N), "daemon-requests/op")
	b.ReportMetric(float64(d.Sent.Load())/float64(b.N)/(1<<20), "daemon-sent-MB/op")
}

// writeBigConfig writes a generated config of n rules and returns its path.
func writeBigConfig(b *testing.B, n int) (string, int) {
	b.Helper()
	var buf bytes.Buffer
	buf.WriteString("tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ncredentials-file: /etc/cloudflared/creds.json\ningress:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&buf, "  - hostname: app%d.example.com\n    service: http://app%d:%d\n", i, i, 8000+i%1000)
		if i%7 == 0 {
			buf.WriteString("    originRequest:\n      httpHostHeader: internal.example\n      keepAliveTimeout: 30s\n")
		}
	}
	buf.WriteString("  - service: http_status:404\n")
	path := filepath.Join(b.TempDir(), "config.yml")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return path, buf.Len()
}

// BenchmarkIngressValidateLarge measures `ingress validate`'s time and peak
// RSS on the largest config it reads (about 8 MiB, 100,000 rules) and on a
// 30 MB one, which is refused unread (issue 12: 25-29 s and 1.1 GB before):
//
//	go test ./cmd/tunneldoctor -run '^$' -bench IngressValidateLarge -benchtime 1x
func BenchmarkIngressValidateLarge(b *testing.B) {
	for _, n := range []int{95_000, 360_000} {
		path, size := writeBigConfig(b, n)
		b.Run(fmt.Sprintf("MB=%.0f", float64(size)/(1<<20)), func(b *testing.B) {
			peak := 0.0
			for b.Loop() {
				peak = max(peak, peakRSS(b, 0, "ingress", "validate", "--config", path))
			}
			b.ReportMetric(peak, "peak-RSS-MB")
			b.ReportMetric(float64(size)/(1<<20), "input-MB")
		})
	}
}
