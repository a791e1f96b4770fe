package dockerapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/moby/moby/api/types/events"
	"github.com/moby/moby/client"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Events streams the watched container and network events since the given
// time (zero: from now). The error channel receives one error and closes
// when the stream ends (daemon restart, socket proxy timeout, ctx end); the
// caller re-subscribes with since = the last event's time. It is a GET.
func (c *Client) Events(ctx context.Context, since time.Time) (<-chan dockernet.Event, <-chan error) {
	opts := client.EventsListOptions{
		Filters: make(client.Filters).
			Add("type", string(events.ContainerEventType), string(events.NetworkEventType)).
			Add("event", dockernet.WatchedActions()...),
	}
	if !since.IsZero() {
		opts.Since = fmt.Sprintf("%d.%09d", since.Unix(), since.Nanosecond())
	}
	res := c.api.Events(ctx, opts)
	out := make(chan dockernet.Event)
	errs := make(chan error, 1)
	go func() {
		defer close(errs)
		for {
			select {
			case m := <-res.Messages:
				select {
				case out <- eventOf(m):
				case <-ctx.Done():
					errs <- fmt.Errorf("docker event stream from %s ended: %w", c.host, ctx.Err())
					return
				}
			case err, ok := <-res.Err:
				if !ok || err == nil || errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				errs <- fmt.Errorf("docker event stream from %s ended: %w", c.host, err)
				return
			}
		}
	}()
	return out, errs
}

func eventOf(m events.Message) dockernet.Event {
	e := dockernet.Event{
		Type:      string(m.Type),
		Action:    string(m.Action),
		ID:        m.Actor.ID,
		Name:      m.Actor.Attributes["name"],
		Container: m.Actor.Attributes["container"],
		Service:   m.Actor.Attributes[dockernet.LabelService],
	}
	switch {
	case m.TimeNano != 0:
		e.Time = time.Unix(0, m.TimeNano)
	case m.Time != 0:
		e.Time = time.Unix(m.Time, 0)
	default:
		e.Time = time.Now()
	}
	return e
}
