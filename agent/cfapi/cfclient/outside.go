package cfclient

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// ProbePublic probes each hostname as a visitor would (wildcards and the
// catch-all are skipped: there is no single name to ask for).
func ProbePublic(ctx context.Context, hostnames []string, o cfapi.PublicOptions) []cfapi.PublicResult {
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
	out := make([]cfapi.PublicResult, len(hosts))
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

func probeOne(ctx context.Context, client *http.Client, host string, maxBody int64) cfapi.PublicResult {
	r := cfapi.PublicResult{Hostname: host}
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

func getTrace(ctx context.Context, client *http.Client, host string, maxBody int64) cfapi.Trace {
	var t cfapi.Trace
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

func getPage(ctx context.Context, client *http.Client, host string, maxBody int64) cfapi.Page {
	var p cfapi.Page
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
func (c *Client) ProbePublic(ctx context.Context, hostnames []string, o cfapi.PublicOptions) []cfapi.PublicResult {
	key := "public|" + strings.Join(normalizeHosts(hostnames), ",")
	if value, _, ok := c.cache.Get(key); ok {
		if rs, ok := value.([]cfapi.PublicResult); ok {
			return rs
		}
	}
	rs := ProbePublic(ctx, hostnames, o)
	c.cache.Put(key, rs, nil, c.cfg.TTL.PublicProbe)
	return rs
}
