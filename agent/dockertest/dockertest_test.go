package dockertest

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestRequireDocker proves the rule for Docker tests: without a daemon they
// fail when CI is set to any non-empty value (CI=true, CI=1...) and skip
// only when CI is unset or empty. It re-runs this test binary with
// DOCKER_HOST pointing at a socket that does not exist.
func TestRequireDocker(t *testing.T) {
	if os.Getenv("TDTEST_REQUIRE_PROBE") == "1" {
		RequireDocker(t)
		t.Log("docker answered")
		return
	}
	for _, ci := range []string{"true", "1", ""} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRequireDocker$", "-test.v")
		cmd.Env = append(os.Environ(), "TDTEST_REQUIRE_PROBE=1", "DOCKER_HOST=unix:///nonexistent/tdtest.sock", "CI="+ci)
		out, err := cmd.CombinedOutput()
		switch {
		case ci != "" && (err == nil || !strings.Contains(string(out), "Docker tests must run")):
			t.Errorf("CI=%s without Docker must fail: err=%v\n%s", ci, err, out)
		case ci == "" && (err != nil || !strings.Contains(string(out), "--- SKIP")):
			t.Errorf("without CI and Docker the test must skip: err=%v\n%s", err, out)
		}
	}
}

func TestRenderDockerfileNeverPulls(t *testing.T) {
	df := renderDockerfile(ImageSpec{Package: OriginPackage, Path: "/origin", Entrypoint: []string{"/origin"},
		Labels: map[string]string{"a": "b"}, Health: []string{"/origin", "probe", "http://127.0.0.1:8080/healthz"}})
	if !strings.HasPrefix(df, "FROM scratch\n") || strings.Contains(df, "syntax=") {
		t.Errorf("test images must be FROM scratch with no syntax line:\n%s", df)
	}
	if !strings.Contains(df, `HEALTHCHECK --interval=1s --timeout=3s --retries=1 CMD ["/origin","probe","http://127.0.0.1:8080/healthz"]`) {
		t.Errorf("exec-form healthcheck expected (scratch has no shell):\n%s", df)
	}
}

// TestRequireProgram proves the same rule for the Debian tools the tests
// drive (haproxy, prometheus, chromium...): a missing one fails under CI,
// skips otherwise, and a present one is returned by path.
func TestRequireProgram(t *testing.T) {
	if os.Getenv("TDTEST_REQUIRE_PROBE") == "1" {
		RequireProgram(t, "tdtest-none", "tdtest-no-such-program")
		return
	}
	if p := RequireProgram(t, "coreutils", "tdtest-no-such-program", "ls"); !strings.HasSuffix(p, "/ls") {
		t.Errorf("the first installed name should win: %q", p)
	}
	for _, ci := range []string{"1", ""} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRequireProgram$", "-test.v")
		cmd.Env = append(os.Environ(), "TDTEST_REQUIRE_PROBE=1", "CI="+ci)
		out, err := cmd.CombinedOutput()
		switch {
		case ci != "" && (err == nil || !strings.Contains(string(out), "Debian package tdtest-none); CI is set")):
			t.Errorf("CI=%s with the program missing must fail: err=%v\n%s", ci, err, out)
		case ci == "" && (err != nil || !strings.Contains(string(out), "--- SKIP")):
			t.Errorf("without CI a missing program must skip: err=%v\n%s", err, out)
		}
	}
}

// fatalRecorder is a testing.TB whose Fatalf records the message and ends
// the goroutine, as testing's does.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestEventually(t *testing.T) {
	calls := 0
	Eventually(t, time.Minute, "the third call", func() (bool, string) {
		calls++
		return calls == 3, fmt.Sprint(calls)
	})
	if calls != 3 {
		t.Errorf("cond called %d times, want 3 (it stops when true)", calls)
	}

	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Eventually(rec, 0, "never", func() (bool, string) { return false, "state 42" })
	}()
	<-done
	if !strings.Contains(rec.msg, "waiting for never; last saw: state 42") {
		t.Errorf("failure message %q should say what was awaited and what was last seen", rec.msg)
	}
}
