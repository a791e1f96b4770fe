package dockerapi

import (
	"context"
	"io"

	"github.com/moby/moby/client"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// TryWrite attempts a write (pausing a container that does not exist) so a
// test can prove the request guard stops it before it leaves.
func (c *Client) TryWrite(ctx context.Context) error {
	_, err := c.api.ContainerPause(ctx, "tdtest-does-not-exist", client.ContainerPauseOptions{})
	return err
}

// BoundEvents wraps a stream in the per-event bound, for tests.
func BoundEvents(rc io.ReadCloser, limit int64) io.ReadCloser {
	return &eventBody{rc: rc, limit: limit, tooLarge: &dockernet.TooLargeError{What: "event", Path: "/events", Limit: limit}}
}

// BoundBody wraps an answer in the whole-answer bound, for tests.
func BoundBody(rc io.ReadCloser, limit int64) io.ReadCloser {
	return &limitBody{rc: rc, left: limit, tooLarge: &dockernet.TooLargeError{What: "answer", Path: "/", Limit: limit}}
}
