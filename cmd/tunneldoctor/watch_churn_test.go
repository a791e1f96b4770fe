package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// churnSetup is a stand-in cloudflared with one rule to an origin reached by
// a unique alias, and `tunneldoctor watch` on the host with a long interval,
// so every run after start-up comes from a Docker event (or a confirm).
type churnSetup struct {
	web    dockertest.Container
	cf     dockertest.Container
	origin string // the origin image, reused for unrelated containers
}

func startChurnSetup(t testing.TB) churnSetup {
	dockertest.RequireDocker(t)
	netName := dockertest.Network(t, "churn", dockertest.NetworkOptions{})
	alias := dockertest.Name("web")
	image := dockertest.OriginImage(t, "")
	web := dockertest.Run(t, dockertest.Spec{Name: "web", Image: image, Network: netName, Aliases: []string{alias}, Args: []string{"--listen", ":8080"}})
	cf := dockertest.Run(t, dockertest.Spec{
		Name: "cloudflared", Image: dockertest.CloudflaredImage(t, standinPackage), Network: netName,
		Args: []string{"tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:20241", "run"},
		Env: []string{"TUNNEL_TOKEN=" + fakeToken,
			`STANDIN_CONFIG_JSON={"ingress":[{"hostname":"app.example.com","service":"http://` + alias + `:8080"},{"service":"http_status:404"}]}`},
	})
	waitStandinReady(t, cf.ID)
	return churnSetup{web: web, cf: cf, origin: image}
}

// unrelatedChurn creates and removes n containers that nothing in the
// tunnel names, on a network of their own (as other compose projects and
// CI jobs on a busy host do), at most one every gap. It returns when they
// are all gone; a cleanup removes leftovers even on failure.
func unrelatedChurn(t testing.TB, image string, n int, gap time.Duration) {
	t.Helper()
	netName := dockertest.Network(t, "busy", dockertest.NetworkOptions{})
	label := "tdtest.churn=" + dockertest.Name("c")
	t.Cleanup(func() {
		ids, _ := exec.Command("docker", "ps", "-aq", "--filter", "label="+label).Output()
		if f := strings.Fields(string(ids)); len(f) > 0 {
			_ = exec.Command("docker", append([]string{"rm", "-f"}, f...)...).Run()
		}
	})
	for i := 0; i < n; i++ {
		next := time.Now().Add(gap)
		out, err := exec.Command("docker", "run", "-d", "--pull", "never", "--label", "tdtest=1", "--label", label,
			"--network", netName, "--name", dockertest.Name(fmt.Sprintf("job%03d", i)), image, "--listen", ":8080").CombinedOutput()
		if err != nil {
			t.Fatalf("docker run: %v: %s", err, out)
		}
		if out, err := exec.Command("docker", "rm", "-f", strings.TrimSpace(string(out))).CombinedOutput(); err != nil {
			t.Fatalf("docker rm: %v: %s", err, out)
		}
		if d := time.Until(next); d > 0 {
			<-time.After(d) // pacing the churn, not waiting for a condition
		}
	}
}

// eventRuns counts the runs a Docker event triggered after line from.
func (w *watchProc) eventRuns(from int) int {
	n := 0
	for _, ln := range w.out.since(from) {
		if ln.fields["event"] == "run_summary" && ln.fields["trigger"] == "event" {
			n++
		}
	}
	return n
}

// TestWatchIgnoresUnrelatedChurn: containers that nothing in the tunnel
// names come and go on a busy host; they trigger no run at all. Killing the
// origin a rule names still triggers one (the filter is not deaf).
func TestWatchIgnoresUnrelatedChurn(t *testing.T) {
	s := startChurnSetup(t)
	w := startWatch(t, "--cloudflared", s.cf.Name, "--interval", "10m", "--listen", "off", "--no-probe", "--no-status-page", "--no-public-probe")
	w.waitFullRuns(t, 0, 1, 60*time.Second)
	from := w.out.len()
	unrelatedChurn(t, s.origin, 8, 0)
	// The churn's last event must have reached the watcher before we judge:
	// a relevant event after it is handled in order.
	dockertest.Docker(t, "kill", s.web.ID)
	w.opened(t, from, "ORG001", 30*time.Second)
	if n := w.eventRuns(from); n > 2 { // the quick pass and the full run of the kill
		t.Errorf("%d event-triggered runs during unrelated churn and one origin kill, want 2 (the kill's)", n)
	}
}

// BenchmarkWatchUnrelatedChurn measures the extra full runs that unrelated
// container churn causes: 100 create/remove per minute for TD_CHURN_WINDOW
// (default 1m). Reports extra_full_runs (want 0).
//
//	go test -run '^$' -bench WatchUnrelatedChurn -benchtime 1x ./cmd/tunneldoctor/
func BenchmarkWatchUnrelatedChurn(b *testing.B) {
	window := time.Minute
	if v := os.Getenv("TD_CHURN_WINDOW"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		window = d
	}
	s := startChurnSetup(b)
	w := startWatch(b, "--cloudflared", s.cf.Name, "--interval", "10m", "--listen", "off", "--no-probe", "--no-status-page", "--no-public-probe")
	w.waitFullRuns(b, 0, 1, 60*time.Second)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		from := w.out.len()
		n := int(window.Minutes() * 100)
		unrelatedChurn(b, s.origin, n, time.Minute/100)
		b.ReportMetric(float64(w.fullRuns(from)), "extra_full_runs")
		b.ReportMetric(float64(n), "containers")
	}
}
