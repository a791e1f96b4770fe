package dockerapi

import (
	"context"

	"github.com/moby/moby/client"
)

// TryWrite attempts a write (pausing a container that does not exist) so a
// test can prove the request guard stops it before it leaves.
func (c *Client) TryWrite(ctx context.Context) error {
	_, err := c.api.ContainerPause(ctx, "tdtest-does-not-exist", client.ContainerPauseOptions{})
	return err
}
