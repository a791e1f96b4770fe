package dockerapi

import (
	"context"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Memory reads one stats sample of a container. Call it only for origins
// that look unwell: it is one API call each.
func (c *Client) Memory(ctx context.Context, id string) (dockernet.Memory, error) {
	return dockernet.ReadMemory(ctx, c, id)
}
