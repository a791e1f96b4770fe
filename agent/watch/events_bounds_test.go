package watch

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// TestPumpSkipsOversizedEvent: a stream that ended on an oversized event
// is not replayed from the last good event (it would meet the same event
// again), and a run is kicked in its place.
func TestPumpSkipsOversizedEvent(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	last := time.Now().Add(-time.Hour)
	sinces := make(chan time.Time, 4)
	calls := 0 // pumpEvents subscribes from one goroutine
	src := func(ctx context.Context, since time.Time) (<-chan dockernet.Event, <-chan error) {
		calls++
		sinces <- since
		msgs, errs := make(chan dockernet.Event, 1), make(chan error, 1)
		if calls == 1 {
			msgs <- dockernet.Event{Type: "container", Action: "start", Time: last}
			errs <- fmt.Errorf("docker event stream ended: %w", &dockernet.TooLargeError{What: "event", Path: "/events", Limit: 4 << 20})
		}
		return msgs, errs
	}
	kicks := make(chan struct{}, 1)
	before := time.Now()
	go pumpEvents(ctx, src, func(dockernet.Event) bool { return false }, zerolog.Nop(), kicks)
	<-sinces
	select {
	case <-kicks:
	case <-time.After(10 * time.Second):
		t.Fatal("no run kicked for the skipped event")
	}
	select {
	case since := <-sinces:
		if since.Before(before) {
			t.Errorf("re-subscribed since %v, want past the oversized event (after %v)", since, before)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not re-subscribe")
	}
}
