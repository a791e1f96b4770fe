package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// watchProc is a running `tunneldoctor watch` on the host, its stdout
// collected line by line.
type watchProc struct {
	cmd    *exec.Cmd
	out    *lineLog
	stderr *strings.Builder
	checks []func(stdout, stderr string)
}

// startWatch runs `tunneldoctor watch` with args at debug level (run
// summaries) and stops it when the test ends, showing its output on failure.
func startWatch(t testing.TB, args ...string) *watchProc {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"watch", "--log-level", "debug"}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "CLOUDFLARE_API_TOKEN=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	w := &watchProc{cmd: cmd, out: &lineLog{}, stderr: &strings.Builder{}}
	cmd.Stderr = w.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go w.out.follow(stdout)
	t.Cleanup(func() {
		interruptAndWait(cmd)
		for _, check := range w.checks {
			check(w.out.String(), w.stderr.String())
		}
		if t.Failed() {
			t.Logf("watch stdout:\n%s\nwatch stderr:\n%s", w.out.String(), tailString(w.stderr.String(), 4000))
		}
	})
	return w
}

// afterStop has check look at watch's whole stdout and stderr once it has
// stopped at the end of the test, before they are shown on failure.
func (w *watchProc) afterStop(check func(stdout, stderr string)) {
	w.checks = append(w.checks, check)
}

// interruptAndWait stops cmd as Ctrl-C does and waits for it to exit,
// killing it after ten seconds.
func interruptAndWait(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// opened waits for finding_opened of code after line from.
func (w *watchProc) opened(t testing.TB, from int, code string, timeout time.Duration) logLine {
	t.Helper()
	ln, ok := w.out.waitLine(from, timeout, func(f map[string]any) bool {
		return f["event"] == "finding_opened" && f["code"] == code
	})
	if !ok {
		t.Fatalf("no finding_opened %s within %v", code, timeout)
	}
	return ln
}

// fullRuns counts the run_summary lines of full runs (not quick passes)
// after line from.
func (w *watchProc) fullRuns(from int) int {
	n := 0
	for _, ln := range w.out.since(from) {
		if ln.fields["event"] == "run_summary" && ln.fields["quick"] != true {
			n++
		}
	}
	return n
}

// waitFullRuns waits until n full runs finished after line from.
func (w *watchProc) waitFullRuns(t testing.TB, from, n int, timeout time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(timeout); w.fullRuns(from) < n; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d full runs within %v", n, timeout)
		}
	}
}
