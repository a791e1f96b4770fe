package watch

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// EventSource subscribes to Docker events since a time; dockerapi.Client's
// Events method is one. The error channel yields one error when the stream
// ends.
type EventSource func(ctx context.Context, since time.Time) (<-chan dockernet.Event, <-chan error)

// Reconnect back-off of the event stream.
const (
	minBackoff = time.Second
	maxBackoff = 30 * time.Second
)

// pumpEvents turns relevant Docker events into kicks until ctx ends. When the stream
// breaks it re-subscribes with since = the last event seen, so events that
// happened while it was down still trigger a run.
func pumpEvents(ctx context.Context, src EventSource, relevant func(dockernet.Event) bool, diag zerolog.Logger, kicks chan<- struct{}) {
	since := time.Now()
	backoff := minBackoff
	for ctx.Err() == nil {
		msgs, errs := src(ctx, since)
		subscribed := time.Now()
	stream:
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-msgs:
				if !ok {
					msgs = nil // wait for the error that says why
					continue
				}
				if e.Time.After(since) {
					since = e.Time.Add(time.Nanosecond) // the last one is handled
				}
				backoff = minBackoff
				if !relevant(e) {
					continue // a container that cannot change this tunnel's findings
				}
				diag.Debug().Str("docker_event", e.Type+" "+e.Action).Str("name", e.Name).Msg("watch: docker event")
				select {
				case kicks <- struct{}{}:
				default: // a run is already due
				}
			case err := <-errs:
				// A stream that lived a while and ended (a socket proxy's idle
				// timeout) is routine: re-subscribe at once. A stream that
				// keeps failing warns once, then retries quietly.
				e := diag.Debug()
				switch {
				case time.Since(subscribed) > maxBackoff:
					backoff = minBackoff
					e = diag.Info()
				case backoff == minBackoff:
					e = diag.Warn()
				}
				e.Err(err).Dur("retry_in", backoff).Msg("watch: docker event stream lost; re-checking on the interval until it is back")
				if _, big := dockernet.AsTooLarge(err); big {
					// Replaying from since would meet the oversized event
					// again: skip past it, and run instead of handling it.
					since = time.Now()
					select {
					case kicks <- struct{}{}:
					default:
					}
				}
				break stream
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}
