package cloudflared

import (
	"context"
	"fmt"
	"net/http"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Config reads /config: the ingress cloudflared is actually running and its
// version (-1 = the local file, >= 0 = pushed from the dashboard).
func (c *Client) Config(ctx context.Context) (*tunnelcfg.Config, error) {
	code, body, err := c.get(ctx, "/config")
	if err != nil {
		return nil, err
	}
	if code != http.StatusOK {
		return nil, fmt.Errorf("GET %s/config: HTTP %d: %q", c.base, code, snippet(body))
	}
	cfg, err := parseConfigJSON(body)
	if err != nil {
		return nil, fmt.Errorf("GET %s/config: %w", c.base, err)
	}
	return cfg, nil
}
