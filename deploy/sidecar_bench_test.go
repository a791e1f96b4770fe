package deploy

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// sidecarSetup is a stand-in cloudflared with n ingress rules, one origin
// container answering to all n names, and the tunneldoctor image running
// `watch` in cloudflared's network namespace (the compose recipe's shape,
// with the socket mounted read-only instead of the proxy).
type sidecarSetup struct {
	origin, cloudflared, sidecar string // container IDs
}

func startSidecar(b testing.TB, rules int, watchArgs ...string) sidecarSetup {
	b.Helper()
	return startSidecarWith(b, rules, nil, watchArgs...)
}

// startSidecarWith is startSidecar with more `docker run` flags for the
// sidecar (before the image).
func startSidecarWith(b testing.TB, rules int, runFlags []string, watchArgs ...string) sidecarSetup {
	b.Helper()
	dockertest.RequireDocker(b)
	image := tunneldoctorImage(b)
	netName := dockertest.Network(b, "bench", dockertest.NetworkOptions{})
	// Aliases unique to this run: other tests on the same daemon must not
	// answer the rules' names.
	base := dockertest.Name("o")
	var aliases, ingress []string
	for i := 0; i < rules; i++ {
		alias := fmt.Sprintf("%s-%02d", base, i)
		aliases = append(aliases, alias)
		ingress = append(ingress, fmt.Sprintf(`{"hostname":"h%02d.example.com","service":"http://%s:8080"}`, i, alias))
	}
	ingress = append(ingress, `{"service":"http_status:404"}`)
	origin := dockertest.Run(b, dockertest.Spec{
		Name: "origin", Image: dockertest.OriginImage(b, ""), Network: netName, Aliases: aliases,
		Args: []string{"--listen", ":8080"},
	})
	cf := dockertest.Run(b, dockertest.Spec{
		Name: "cloudflared", Image: dockertest.CloudflaredImage(b, dockertest.StandinPackage), Network: netName,
		Args: []string{"tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:20241", "run"},
		Env:  []string{"TUNNEL_TOKEN=" + fakeTunnelToken, `STANDIN_CONFIG_JSON={"ingress":[` + strings.Join(ingress, ",") + `]}`},
	})
	sockGroup := run(b, time.Minute, nil, "stat", "-c", "%g", "/var/run/docker.sock")
	name := dockertest.Name("sidecar")
	args := []string{"run", "-d", "--name", name, "--network", "container:" + cf.ID,
		"-v", "/var/run/docker.sock:/var/run/docker.sock:ro", "--group-add", sockGroup,
		"--read-only", "--cap-drop", "ALL",
		// Nothing leaves the machine.
		"-e", "TUNNELDOCTOR_NO_STATUS_PAGE=1", "-e", "TUNNELDOCTOR_PUBLIC_PROBE=off"}
	args = append(append(args, runFlags...), image, "watch")
	id := run(b, time.Minute, nil, "docker", append(args, watchArgs...)...)
	b.Cleanup(func() { _, _ = runErr(time.Minute, nil, "docker", "rm", "-f", id) })
	return sidecarSetup{origin: origin.ID, cloudflared: cf.ID, sidecar: id}
}

// BenchmarkSidecarIdle20Rules measures the sidecar at rest: 20 rules, the
// default 30 s interval, after start-up. Reports resident memory and CPU
// share over the window (TD_IDLE_WINDOW, default 2m: four intervals).
//
//	go test -run '^$' -bench SidecarIdle -benchtime 1x ./deploy/
func BenchmarkSidecarIdle20Rules(b *testing.B) {
	window := 2 * time.Minute
	if v := os.Getenv("TD_IDLE_WINDOW"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatalf("TD_IDLE_WINDOW: %v", err)
		}
		window = d
	}
	s := startSidecar(b, 20, "--log-level", "debug") // debug: the run_summary lines say when a run is done
	for i := 0; i < b.N; i++ {
		waitStartupRun(b, s.sidecar)
		pid := run(b, time.Minute, nil, "docker", "inspect", "--format", "{{.State.Pid}}", s.sidecar)
		cpu0, at0 := cpuTicks(b, pid), time.Now()
		time.Sleep(window)
		cpu1, at1 := cpuTicks(b, pid), time.Now()
		rss, hwm := procStatusKB(b, pid, "VmRSS"), procStatusKB(b, pid, "VmHWM")
		seconds := float64(cpu1-cpu0) / clockTicks
		b.ReportMetric(float64(rss)/1024, "rss_MiB")
		b.ReportMetric(float64(hwm)/1024, "peak_rss_MiB")
		b.ReportMetric(100*seconds/at1.Sub(at0).Seconds(), "cpu_%")
	}
}

// BenchmarkDetectionLatency kills the origin and times the Docker "die"
// event to the sidecar's finding_opened line (both stamped by the daemon),
// then starts the origin again and waits for finding_resolved.
//
//	go test -run '^$' -bench DetectionLatency -benchtime 5x ./deploy/
func BenchmarkDetectionLatency(b *testing.B) {
	s := startSidecar(b, 3, "--log-level", "debug")
	waitStartupRun(b, s.sidecar)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		before := time.Now()
		run(b, time.Minute, nil, "docker", "kill", s.origin)
		opened := waitLogLine(b, s.sidecar, before, 30*time.Second, func(f map[string]any) bool {
			return f["event"] == "finding_opened" && f["severity"] == "error" && f["hostname"] == "h00.example.com"
		})
		die := eventTime(b, s.origin, "die", before)
		b.Logf("die -> finding_opened: %v", opened.Sub(die).Round(time.Millisecond))
		total += opened.Sub(die)
		restarted := time.Now()
		run(b, time.Minute, nil, "docker", "start", s.origin)
		waitLogLine(b, s.sidecar, restarted, 60*time.Second, func(f map[string]any) bool {
			return f["event"] == "finding_resolved" && f["hostname"] == "h00.example.com"
		})
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "detect_ms")
}

// waitStartupRun waits until the sidecar's start-up run is done (its
// run_summary line): from then on it is at rest and watches events.
func waitStartupRun(b testing.TB, id string) {
	b.Helper()
	waitLogLine(b, id, time.Time{}, 90*time.Second, func(f map[string]any) bool {
		return f["event"] == "run_summary" && f["trigger"] == "start"
	})
}

// waitLogLine waits for a JSON stdout line of the container, logged after
// since, that matches and returns the daemon's timestamp of that line.
func waitLogLine(b testing.TB, id string, since time.Time, timeout time.Duration, match func(map[string]any) bool) time.Time {
	b.Helper()
	deadline := time.Now().Add(timeout)
	seen := map[string]bool{}
	for time.Now().Before(deadline) {
		out, err := exec.Command("docker", "logs", "--timestamps", "--since", since.Format(time.RFC3339Nano), id).Output()
		if err == nil {
			sc := bufio.NewScanner(strings.NewReader(string(out)))
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				ts, line, ok := strings.Cut(sc.Text(), " ")
				if !ok || seen[sc.Text()] {
					continue
				}
				seen[sc.Text()] = true
				var f map[string]any
				if json.Unmarshal([]byte(line), &f) == nil && match(f) {
					at, err := time.Parse(time.RFC3339Nano, ts)
					if err != nil {
						b.Fatal(err)
					}
					return at
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Fatalf("no matching log line from %s within %v", id[:12], timeout)
	return time.Time{}
}

// eventTime is when the daemon emitted the container's event after t.
func eventTime(b testing.TB, id, action string, after time.Time) time.Time {
	b.Helper()
	out := run(b, time.Minute, nil, "docker", "events", "--since", after.Format(time.RFC3339Nano), "--until", time.Now().Format(time.RFC3339Nano),
		"--filter", "container="+id, "--filter", "event="+action, "--format", "{{.TimeNano}}")
	first, _, _ := strings.Cut(out, "\n")
	ns, err := strconv.ParseInt(strings.TrimSpace(first), 10, 64)
	if err != nil {
		b.Fatalf("no %s event for %s: %q", action, id[:12], out)
	}
	return time.Unix(0, ns)
}

// clockTicks is USER_HZ, 100 on Linux.
const clockTicks = 100

func cpuTicks(b *testing.B, pid string) int64 {
	b.Helper()
	raw, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the ")" that ends the command name: utime is 14th,
	// stime 15th overall, i.e. 12th and 13th after it.
	rest := string(raw[strings.LastIndexByte(string(raw), ')')+2:])
	f := strings.Fields(rest)
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return u + s
}

func procStatusKB(b *testing.B, pid, key string) int64 {
	b.Helper()
	raw, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	b.Fatalf("no %s in /proc/%s/status", key, pid)
	return 0
}
