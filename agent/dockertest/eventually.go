package dockertest

import (
	"testing"
	"time"
)

// PollInterval is how often Eventually asks its condition again.
const PollInterval = 100 * time.Millisecond

// Eventually waits until cond reports true, asking it every PollInterval,
// and fails the test after timeout with what was awaited and what cond last
// said it saw. The timeout bounds a failure; it is not a timing assertion,
// so make it generous.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() (ok bool, saw string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, saw := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; last saw: %s", timeout, what, saw)
		}
		time.Sleep(PollInterval)
	}
}
