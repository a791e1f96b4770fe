// Package cloudflared reads what a running cloudflared reports about itself:
// its metrics server (/ready, /config, /diag/tunnel, /metrics) and its log
// lines. It returns facts and errors; judging them is the checks' job.
// It imports nothing from this module except tunnelcfg.
package cloudflared

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// DefaultMaxBody bounds every response read from the metrics server. /config
// of a 2,000-rule tunnel is about 1.2 MB; anything far larger is not
// cloudflared talking.
const DefaultMaxBody = 8 << 20

// DefaultTimeout bounds one request when the caller's client has none.
const DefaultTimeout = 5 * time.Second

// ErrBodyTooLarge is returned when a response exceeds the client's bound.
var ErrBodyTooLarge = errors.New("response larger than the allowed size")

// Client reads one cloudflared metrics server.
type Client struct {
	base    string
	http    *http.Client
	maxBody int64
}

// NewClient returns a client for the metrics server at addr ("host:port" or
// an http:// URL). hc may be nil (a client with DefaultTimeout is used);
// maxBody <= 0 means DefaultMaxBody.
func NewClient(addr string, hc *http.Client, maxBody int64) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	// cloudflared's metrics server never redirects; a server that does is
	// not cloudflared, and following it could lead anywhere.
	noRedirect := *hc
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc = &noRedirect
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	base := strings.TrimRight(addr, "/")
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	return &Client{base: base, http: hc, maxBody: maxBody}
}

// Addr returns the base URL the client reads.
func (c *Client) Addr() string { return c.base }

// get fetches one endpoint and returns its status and bounded body.
func (c *Client) get(ctx context.Context, path string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return 0, nil, fmt.Errorf("GET %s%s: %w", c.base, path, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("GET %s%s: %w", c.base, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("GET %s%s: reading body: %w", c.base, path, err)
	}
	if int64(len(body)) > c.maxBody {
		return resp.StatusCode, nil, fmt.Errorf("GET %s%s: %w (%d bytes)", c.base, path, ErrBodyTooLarge, c.maxBody)
	}
	return resp.StatusCode, body, nil
}

// snippet quotes the start of a body for error messages.
func snippet(b []byte) string {
	const max = 200
	s := strings.TrimSpace(string(b))
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
