package main

import (
	"bytes"
	"os"
	"os/exec"
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
// API whose answers never end: each becomes AGT104 naming its bound, and
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
		if !strings.Contains(r.stdout, `"code": "AGT104"`) || !strings.Contains(r.stdout, tc.want) {
			t.Errorf("%s: want AGT104 with %q:\n%s", tc.name, tc.want, r)
		}
	}
}

// peakRSS runs the binary until it exits, or until stopAfter and then
// SIGTERM, and returns its peak resident set (VmHWM, from rusage) in MB.
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
	_ = cmd.Wait()
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Fatal("no rusage")
	}
	return float64(ru.Maxrss) / 1024 // Linux: KiB
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
