package dockerapi

import (
	"context"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Logs returns the last tail lines of a container's stdout and stderr, in
// order, keeping at most maxBytes (the newest ones). Lines are not redacted:
// use dockernet.Redact before showing them.
func (c *Client) Logs(ctx context.Context, id string, tail, maxBytes int) ([]string, error) {
	return dockernet.ReadLogs(ctx, c, id, tail, maxBytes)
}
