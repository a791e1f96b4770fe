package deploy

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// hungSetup is the sidecar recipe with one healthy origin (rule 0,
// h00.example.com, a container of its own that tests kill and start) and
// `hung` rules whose origin accepts connections and never answers (one
// container answering every hung rule's name: each name is an origin).
type hungSetup struct {
	web, sidecar string // container IDs
}

func startHungSidecar(t testing.TB, hung int, watchArgs ...string) hungSetup {
	t.Helper()
	dockertest.RequireDocker(t)
	image := tunneldoctorImage(t)
	netName := dockertest.Network(t, "hung", dockertest.NetworkOptions{})
	webAlias := dockertest.Name("web")
	ingress := []string{fmt.Sprintf(`{"hostname":"h00.example.com","service":"http://%s:8080"}`, webAlias)}
	var hungAliases []string
	base := dockertest.Name("hung")
	for i := 1; i <= hung; i++ {
		alias := fmt.Sprintf("%s-%02d", base, i)
		hungAliases = append(hungAliases, alias)
		ingress = append(ingress, fmt.Sprintf(`{"hostname":"h%02d.example.com","service":"http://%s:8080"}`, i, alias))
	}
	ingress = append(ingress, `{"service":"http_status:404"}`)
	web := dockertest.Run(t, dockertest.Spec{
		Name: "web", Image: dockertest.OriginImage(t, ""), Network: netName, Aliases: []string{webAlias},
		Args: []string{"--listen", ":8080"},
	})
	dockertest.Run(t, dockertest.Spec{
		Name: "hung", Image: dockertest.OriginImage(t, ""), Network: netName, Aliases: hungAliases,
		Args: []string{"--listen", ":8080", "--hang"},
	})
	cf := dockertest.Run(t, dockertest.Spec{
		Name: "cloudflared", Image: dockertest.CloudflaredImage(t, dockertest.StandinPackage), Network: netName,
		Args: []string{"tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:20241", "run"},
		Env:  []string{"TUNNEL_TOKEN=" + fakeTunnelToken, `STANDIN_CONFIG_JSON={"ingress":[` + strings.Join(ingress, ",") + `]}`},
	})
	sockGroup := run(t, time.Minute, nil, "stat", "-c", "%g", "/var/run/docker.sock")
	args := []string{"run", "-d", "--name", dockertest.Name("sidecar"), "--network", "container:" + cf.ID,
		"-v", "/var/run/docker.sock:/var/run/docker.sock:ro", "--group-add", sockGroup,
		"--read-only", "--cap-drop", "ALL",
		// Nothing leaves the machine.
		"-e", "TUNNELDOCTOR_NO_STATUS_PAGE=1", "-e", "TUNNELDOCTOR_PUBLIC_PROBE=off",
		image, "watch", "--log-level", "debug"}
	id := run(t, time.Minute, nil, "docker", append(args, watchArgs...)...)
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := runErr(time.Minute, nil, "docker", "logs", "--tail", "200", id)
			t.Logf("sidecar logs:\n%s", out)
		}
		_, _ = runErr(time.Minute, nil, "docker", "rm", "-f", id)
	})
	return hungSetup{web: web.ID, sidecar: id}
}

// sidecarLine is one JSON stdout line of the sidecar, with the daemon's
// timestamp.
type sidecarLine struct {
	at     time.Time
	fields map[string]any
}

// sidecarLines reads the sidecar's JSON lines logged after since.
func sidecarLines(id string, since time.Time) []sidecarLine {
	out, err := exec.Command("docker", "logs", "--timestamps", "--since", since.Format(time.RFC3339Nano), id).Output()
	if err != nil {
		return nil
	}
	var lines []sidecarLine
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		ts, raw, ok := strings.Cut(sc.Text(), " ")
		at, err := time.Parse(time.RFC3339Nano, ts)
		var f map[string]any
		if ok && err == nil && json.Unmarshal([]byte(raw), &f) == nil {
			lines = append(lines, sidecarLine{at: at, fields: f})
		}
	}
	return lines
}

// waitSidecarLine waits for a line logged after since that matches.
func waitSidecarLine(t testing.TB, id string, since time.Time, timeout time.Duration, what string, match func(map[string]any) bool) sidecarLine {
	t.Helper()
	var found sidecarLine
	dockertest.Eventually(t, timeout, what+" from the sidecar", func() (bool, string) {
		lines := sidecarLines(id, since)
		for _, ln := range lines {
			if match(ln.fields) {
				found = ln
				return true, ""
			}
		}
		return false, fmt.Sprintf("%d lines", len(lines))
	})
	return found
}

func isOpenedAbout(host string) func(map[string]any) bool {
	return func(f map[string]any) bool {
		return f["event"] == "finding_opened" && f["severity"] == "error" && f["hostname"] == host
	}
}

func isResolved(code any, host string) func(map[string]any) bool {
	return func(f map[string]any) bool {
		return f["event"] == "finding_resolved" && f["code"] == code && f["hostname"] == host
	}
}

// TestWatchHungOriginDoesNotHoldBackOthers: with an origin that accepts
// and never answers (its probe limit set far beyond the test, so its probe
// is in flight throughout), killing a healthy origin is logged
// (finding_opened) and starting it again resolves it. Every full run the
// sidecar made in that time reported the hung origin's probe in flight:
// the verdicts on the healthy origin did not wait for it.
func TestWatchHungOriginDoesNotHoldBackOthers(t *testing.T) {
	s := startHungSidecar(t, 1, "--probe-timeout", "1h")
	began := time.Now().Add(-time.Minute) // the daemon's clock, give or take
	waitStartupRun(t, s.sidecar)

	killed := time.Now()
	run(t, time.Minute, nil, "docker", "kill", s.web)
	opened := waitSidecarLine(t, s.sidecar, killed, time.Minute, "finding_opened about h00 after the kill", isOpenedAbout("h00.example.com"))
	t.Logf("kill -> finding_opened %v: %v", opened.fields["code"], opened.fields["message"])

	restarted := time.Now()
	run(t, time.Minute, nil, "docker", "start", s.web)
	waitSidecarLine(t, s.sidecar, restarted, time.Minute, "finding_resolved after the restart", isResolved(opened.fields["code"], "h00.example.com"))

	full := 0
	for _, ln := range sidecarLines(s.sidecar, began) {
		f := ln.fields
		if f["event"] == "finding_opened" && f["hostname"] == "h01.example.com" && f["hop"] == "protocol" {
			t.Errorf("the hung origin's probe has not ended, yet a protocol finding opened: %v", f)
		}
		if f["event"] != "run_summary" || f["quick"] == true {
			continue
		}
		full++
		if f["probes_in_flight"] != float64(1) {
			t.Errorf("%s run at %s: probes_in_flight %v, want 1 (the hung origin's probe runs for the whole test)",
				f["trigger"], ln.at.Format(time.RFC3339Nano), f["probes_in_flight"])
		}
	}
	if full < 3 {
		t.Errorf("%d full runs logged; want at least the start-up run and the runs after the kill and the restart", full)
	}
}

// BenchmarkDetectionWithHungOrigins is BenchmarkDetectionLatency with 10
// hung origins beside the healthy one (the default 20 s probe limit, so
// their probes end and start again all along): Docker's "die" event to
// finding_opened, and "start" to finding_resolved, both stamped by the
// daemon.
//
//	go test -run '^$' -bench DetectionWithHungOrigins -benchtime 5x ./deploy/
func BenchmarkDetectionWithHungOrigins(b *testing.B) {
	s := startHungSidecar(b, 10)
	waitStartupRun(b, s.sidecar)
	var detect, resolve time.Duration
	for i := 0; i < b.N; i++ {
		before := time.Now()
		run(b, time.Minute, nil, "docker", "kill", s.web)
		opened := waitSidecarLine(b, s.sidecar, before, time.Minute, "finding_opened about h00", isOpenedAbout("h00.example.com"))
		die := eventTime(b, s.web, "die", before)
		restarted := time.Now()
		run(b, time.Minute, nil, "docker", "start", s.web)
		resolved := waitSidecarLine(b, s.sidecar, restarted, time.Minute, "finding_resolved about h00", isResolved(opened.fields["code"], "h00.example.com"))
		start := eventTime(b, s.web, "start", restarted)
		b.Logf("die -> finding_opened %v: %v; start -> finding_resolved: %v", opened.fields["code"],
			opened.at.Sub(die).Round(time.Millisecond), resolved.at.Sub(start).Round(time.Millisecond))
		detect += opened.at.Sub(die)
		resolve += resolved.at.Sub(start)
	}
	b.ReportMetric(float64(detect.Milliseconds())/float64(b.N), "detect_ms")
	b.ReportMetric(float64(resolve.Milliseconds())/float64(b.N), "resolve_ms")
}
