package main

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWatchStopsCleanlyOnSIGTERM stops `tunneldoctor watch` with SIGTERM ten
// times, as soon as it listens (often before the first run finished) and
// with a request in flight, as `docker stop` does: every stop exits
// 0 and logs no error or warning (a closed HTTP server is a stop, not a
// failed listener).
func TestWatchStopsCleanlyOnSIGTERM(t *testing.T) {
	for i := 0; i < 10; i++ {
		port := freeTCPPort(t)
		cmd := exec.Command(binary, "watch", "--docker-host", "off", "--no-events", "--interval", "1s",
			"--listen", "127.0.0.1:"+port, "--no-probe", "--no-status-page", "--no-public-probe")
		cmd.Env = []string{"HOME=" + t.TempDir()}
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Signals before main installed its handler kill any Go program;
		// wait until it listens (the handler is set before that).
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if c, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("stop %d: watch never listened", i)
			}
		}
		if i%2 == 1 { // half the stops while a request is in flight
			go func() {
				if res, err := http.Get("http://127.0.0.1:" + port + "/metrics"); err == nil {
					res.Body.Close()
				}
			}()
		}
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		select {
		case err = <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("stop %d: watch did not exit within 15s of SIGTERM", i)
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Errorf("stop %d: exit %d, want 0\nstderr:\n%s", i, exit.ExitCode(), errOut.String())
		} else if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(errOut.String(), "\n") {
			if strings.Contains(line, `"level":"error"`) || strings.Contains(line, `"level":"warn"`) || strings.Contains(line, "listener failed") {
				t.Errorf("stop %d logged: %s", i, line)
			}
		}
	}
}
