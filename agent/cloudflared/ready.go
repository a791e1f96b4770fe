package cloudflared

import (
	"context"
	"encoding/json"
	"fmt"
)

// Ready is cloudflared's /ready answer. Status equals the HTTP code: 200
// when at least one edge connection is registered, 503 otherwise.
type Ready struct {
	Status           int    `json:"status"`
	ReadyConnections int    `json:"readyConnections"`
	ConnectorID      string `json:"connectorId"`
}

// Ready reads /ready. A 503 is a fact, not an error: the error is only for
// not getting cloudflared's answer at all.
func (c *Client) Ready(ctx context.Context) (Ready, error) {
	code, body, err := c.get(ctx, "/ready")
	if err != nil {
		return Ready{}, err
	}
	var r Ready
	if err := json.Unmarshal(body, &r); err != nil {
		return Ready{}, fmt.Errorf("GET %s/ready: HTTP %d, not cloudflared's JSON (%q): %w", c.base, code, snippet(body), err)
	}
	if r.Status == 0 {
		r.Status = code
	}
	return r, nil
}
