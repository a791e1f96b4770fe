package cfapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
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

// ProbePublic probes each hostname as a visitor would (wildcards and the
// catch-all are skipped: there is no single name to ask for).
func ProbePublic(ctx context.Context, hostnames []string, o PublicOptions) []PublicResult {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 64 << 10
	}
	if o.MaxTotal <= 0 {
		o.MaxTotal = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, o.MaxTotal)
	defer cancel()
	dial := o.Dial
	if dial == nil {
		dial = (&net.Dialer{Timeout: 5 * time.Second}).DialContext
	}
	client := &http.Client{
		Timeout: o.Timeout,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dial,
			TLSClientConfig:       &tls.Config{RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:   o.Timeout,
			ResponseHeaderTimeout: o.Timeout,
			DisableKeepAlives:     true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()

	var hosts []string
	for _, h := range normalizeHosts(hostnames) {
		if !strings.HasPrefix(h, "*.") {
			hosts = append(hosts, h)
		}
	}
	out := make([]PublicResult, len(hosts))
	sem := make(chan struct{}, o.Concurrency)
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = probeOne(ctx, client, h, o.MaxBody)
		}()
	}
	wg.Wait()
	sort.Slice(out, func(i, j int) bool { return out[i].Hostname < out[j].Hostname })
	return out
}

func probeOne(ctx context.Context, client *http.Client, host string, maxBody int64) PublicResult {
	r := PublicResult{Hostname: host}
	r.Trace = getTrace(ctx, client, host, maxBody)
	if r.Trace.Status == 0 {
		// No HTTP answer at all (DNS, connect, TLS): the page would fail the
		// same way, so do not wait for it twice.
		r.Page.Error = r.Trace.Error
	} else {
		r.Page = getPage(ctx, client, host, maxBody)
	}
	r.Verdict, r.Code = verdict(r.Trace, r.Page)
	return r
}

func get(ctx context.Context, client *http.Client, url, accept string, maxBody int64) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("User-Agent", "tunneldoctor (outside-in probe)")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return resp, body, fmt.Errorf("reading body: %w", err)
	}
	return resp, body, nil
}

func getTrace(ctx context.Context, client *http.Client, host string, maxBody int64) Trace {
	var t Trace
	resp, body, err := get(ctx, client, "https://"+host+"/cdn-cgi/trace", "", maxBody)
	if err != nil {
		t.Error = oneLine(err)
		if resp == nil {
			return t
		}
	}
	t.Status = resp.StatusCode
	fields := map[string]string{}
	for _, line := range strings.Split(string(body), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			fields[k] = v
		}
	}
	t.Colo, t.Loc, t.HTTP, t.TLS = fields["colo"], fields["loc"], fields["http"], fields["tls"]
	t.Cloudflare = resp.StatusCode == http.StatusOK && t.Colo != "" && (fields["fl"] != "" || fields["h"] != "")
	return t
}

func getPage(ctx context.Context, client *http.Client, host string, maxBody int64) Page {
	var p Page
	resp, body, err := get(ctx, client, "https://"+host+"/", "application/json", maxBody)
	if err != nil {
		p.Error = oneLine(err)
		if resp == nil {
			return p
		}
	}
	p.Status = resp.StatusCode
	p.CFRay = resp.Header.Get("Cf-Ray")
	p.Server = resp.Header.Get("Server")
	p.ContentType = resp.Header.Get("Content-Type")
	p.CFErrorType = resp.Header.Get("Cf-Error-Type")
	p.BodyRead = len(body)
	p.JSONError = parseEdgeError(body)
	p.Branded, p.BrandedFor = brandedPage(string(body))
	sample := string(body)
	if len(sample) > 512 {
		sample = sample[:512]
	}
	p.BodySample = strings.ToValidUTF8(sample, "?")
	return p
}

// ProbePublic is the package function through the client's cache: in the
// sidecar the same hostnames are probed at most once per TTL.PublicProbe.
func (c *Client) ProbePublic(ctx context.Context, hostnames []string, o PublicOptions) []PublicResult {
	key := "public|" + strings.Join(normalizeHosts(hostnames), ",")
	if e, ok := c.cache.get(key); ok {
		if rs, ok := e.value.([]PublicResult); ok {
			return rs
		}
	}
	rs := ProbePublic(ctx, hostnames, o)
	c.cache.put(key, cacheEntry{value: rs}, c.cfg.TTL.PublicProbe)
	return rs
}
