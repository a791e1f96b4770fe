package cfapi

import (
	"context"
	"crypto/x509"
	"net"
	"time"
)

// PublicOptions configures the outside-in probe: what a visitor gets from
// https://<hostname>. Dial and RootCAs let tests point every hostname at a
// local stand-in edge; nothing else changes.
type PublicOptions struct {
	// Dial replaces the dialer; addr is "<hostname>:443".
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// RootCAs replaces the system roots (tests).
	RootCAs *x509.CertPool
	// Timeout bounds each request (default 10 s).
	Timeout time.Duration
	// Concurrency bounds hostnames probed at once (default 4).
	Concurrency int
	// MaxBody bounds the body read from each answer (default 64 KiB).
	MaxBody int64
	// MaxTotal bounds the whole probe, all hostnames (default 30 s).
	MaxTotal time.Duration
}

// Trace is the answer of https://<hostname>/cdn-cgi/trace, which the edge
// serves itself, even when the origin is down.
type Trace struct {
	Status int `json:"status,omitempty"`
	// Cloudflare is true when the answer is Cloudflare's trace format: DNS
	// points the hostname at Cloudflare and the edge proxies it.
	Cloudflare bool   `json:"cloudflare"`
	Colo       string `json:"colo,omitempty"`
	Loc        string `json:"loc,omitempty"`
	HTTP       string `json:"http,omitempty"`
	TLS        string `json:"tls,omitempty"`
	Error      string `json:"error,omitempty"`
}

// Page is the answer to GET https://<hostname>/ with Accept: application/json.
type Page struct {
	Status      int    `json:"status,omitempty"`
	CFRay       string `json:"cf_ray,omitempty"`
	Server      string `json:"server,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	// CFErrorType is the cf-error-type header, set only on pages the edge
	// generated itself.
	CFErrorType string `json:"cf_error_type,omitempty"`
	// JSONError is the edge's structured error (cloudflare_error: true).
	JSONError *EdgeError `json:"json_error,omitempty"`
	// Branded is true when the HTML is a Cloudflare error page.
	Branded    bool   `json:"branded,omitempty"`
	BrandedFor int    `json:"branded_code,omitempty"` // the code the branded page shows
	BodySample string `json:"body_sample,omitempty"`
	// BodyRead is how many body bytes were read (at most MaxBody).
	BodyRead int    `json:"body_read"`
	Error    string `json:"error,omitempty"`
}

// EdgeError is Cloudflare's RFC 9457 error body.
type EdgeError struct {
	Status        int    `json:"status"`
	Title         string `json:"title"`
	Detail        string `json:"detail"`
	ErrorCode     int    `json:"error_code"`
	ErrorName     string `json:"error_name"`
	ErrorCategory string `json:"error_category"`
	RayID         string `json:"ray_id"`
	Cloudflare    bool   `json:"cloudflare_error"`
}

// Verdicts of the outside-in probe: who produced what the visitor sees.
const (
	VerdictOK              = "ok"               // no 5xx/530
	VerdictCloudflareError = "cloudflare_error" // the edge generated the error page
	VerdictOriginError     = "origin_error"     // the origin's own 5xx, passed through
	VerdictNotCloudflare   = "not_cloudflare"   // the answer did not come through Cloudflare
	VerdictUnreachable     = "unreachable"      // no answer at all (DNS, connect, TLS)
)

// PublicResult is what a visitor of one hostname gets.
type PublicResult struct {
	Hostname string `json:"hostname"`
	Trace    Trace  `json:"trace"`
	Page     Page   `json:"page"`
	Verdict  string `json:"verdict"`
	// Code is the error code the visitor sees (1033, 502, 524...), 0 if none.
	Code int `json:"code,omitempty"`
}
