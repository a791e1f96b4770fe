package dockerapiit

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockerapi"
)

// TestEventsStreamAndReplay subscribes to the real daemon's events: a
// container's start and die arrive (with its name), an event the filter
// leaves out (create) does not, and re-subscribing with since = before the
// die replays it, which is how the sidecar catches up after the stream
// breaks.
func TestEventsStreamAndReplay(t *testing.T) {
	dockertest.RequireDocker(t)
	c, err := dockerapi.Dial("")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	image := dockertest.OriginImage(t, "")
	start := time.Now()
	msgs, errs := c.Events(ctx, start)
	web := dockertest.Run(t, dockertest.Spec{Name: "events", Image: image, Args: []string{"--listen", ":8080"}})
	got := collect(t, msgs, errs, web.ID, "start")
	if got.Name != web.Name || got.Type != "container" || got.Time.Before(start.Add(-time.Second)) {
		t.Errorf("start event: %+v, want container %s", got, web.Name)
	}
	dockertest.Docker(t, "kill", web.ID)
	die := collect(t, msgs, errs, web.ID, "die")

	// Replay from just before the die.
	rctx, rcancel := context.WithCancel(ctx)
	defer rcancel()
	rmsgs, rerrs := c.Events(rctx, die.Time.Add(-time.Millisecond))
	if again := collect(t, rmsgs, rerrs, web.ID, "die"); !again.Time.Equal(die.Time) {
		t.Errorf("replayed die at %v, want %v", again.Time, die.Time)
	}
	rcancel()
	select {
	case err := <-rerrs:
		if err == nil || !strings.Contains(err.Error(), "event stream") {
			t.Errorf("ended stream: error %v, want one naming the event stream", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("the error channel did not report the end of the stream")
	}
}

// collect reads events until the container's action arrives; events of
// other containers (parallel tests) are skipped, a "create" of ours fails.
func collect(t *testing.T, msgs <-chan dockernet.Event, errs <-chan error, id, action string) dockernet.Event {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case e := <-msgs:
			if e.ID != id {
				continue
			}
			if e.Action == "create" {
				t.Errorf("the filter let %q through", e.Action)
			}
			if e.Action == action {
				return e
			}
		case err := <-errs:
			t.Fatalf("event stream ended: %v", err)
		case <-timeout:
			t.Fatalf("no %s event for %s in 30s", action, id[:12])
		}
	}
}
