package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
)

// reportedHeaders are the response headers kept as evidence.
var reportedHeaders = []string{"Server", "Location", "Content-Encoding", "Content-Length", "Content-Type"}

// probeHTTP sends one GET / through a transport built like cloudflared's
// (ingress/origin_service.go newHTTPTransport): same dial and TLS timeouts,
// happy-eyeballs setting, SNI, roots and HTTP/2 attempt.
func probeHTTP(ctx context.Context, t Target, o Options, tr *tracer, r *Result) error {
	dialer := &net.Dialer{Timeout: t.ConnectTimeout, Resolver: o.Resolver}
	if t.NoHappyEyeballs {
		dialer.FallbackDelay = -1
	}
	transport := &http.Transport{
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    t.TLSTimeout,
		ForceAttemptHTTP2:      t.HTTP2Origin,
		DisableKeepAlives:      true,
		DisableCompression:     true, // keep gzip raw: we check it ourselves
		MaxResponseHeaderBytes: 64 << 10,
	}
	if t.Network == "unix" {
		transport.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, "unix", t.Address)
		}
	}
	defer transport.CloseIdleConnections()

	urlHost := t.Address
	if t.Network == "unix" {
		urlHost = t.HostHeader()
		if urlHost == "" {
			urlHost = "localhost"
		}
	}
	scheme := "http"
	if t.TLS {
		scheme = "https"
		tr.tls = &TLSPhase{ServerName: t.ServerName()}
		transport.TLSClientConfig = tlsConfig(t, o, tr)
	}
	ctx = httptrace.WithClientTrace(ctx, tr.trace())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+urlHost+"/", nil)
	if err != nil {
		return fmt.Errorf("building request for %s: %w", t.Service, err)
	}
	req.Host = t.HostHeader()
	req.Header.Set("User-Agent", "tunneldoctor-probe")
	req.Header.Set("X-Forwarded-For", visitorIP) // as cloudflared forwards the visitor's address
	req.Header.Set("Accept-Encoding", "gzip")

	resp, err := transport.RoundTrip(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", req.Method, t.Service, err)
	}
	defer resp.Body.Close()
	h := &HTTPPhase{
		Proto: resp.Proto, Status: resp.StatusCode, ContentLength: resp.ContentLength,
		Headers: map[string]string{},
	}
	r.HTTP = h
	tr.mu.Lock()
	if !tr.firstByte.IsZero() && !tr.wrote.IsZero() {
		h.TTFB = tr.firstByte.Sub(tr.wrote)
	}
	tr.mu.Unlock()
	for _, k := range reportedHeaders {
		if v := resp.Header.Get(k); v != "" {
			h.Headers[k] = truncate(v, 256)
		}
	}
	if resp.ContentLength >= 0 {
		h.Headers["Content-Length"] = strconv.FormatInt(resp.ContentLength, 10)
	}
	tr.setPhase(PhaseBody)
	gz := strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip")
	if err := readBody(resp.Body, gz, o, h); err != nil {
		return fmt.Errorf("reading the body from %s: %w", t.Service, err)
	}
	if phrase, ok := PlainToTLSAnswer(h.Status, h.BodySample); ok {
		h.PlainToTLS = phrase
	}
	return nil
}

// tlsConfig verifies in VerifyConnection instead of letting crypto/tls do it:
// the peer chain is recorded even when verification fails, and under
// noTLSVerify it is still verified (but not enforced) so the report can say
// whether the setting is needed.
func tlsConfig(t Target, o Options, tr *tracer) *tls.Config {
	var extra []*x509.Certificate
	if t.CAPool != "" {
		certs, info := loadCAPool(t.CAPool)
		extra, tr.tls.CAPool = certs, info
	}
	roots := rootsWith(extra)
	name := t.ServerName()
	cfg := &tls.Config{
		ServerName:         name,
		InsecureSkipVerify: true, //nolint:gosec // verified in VerifyConnection below
		VerifyConnection: func(cs tls.ConnectionState) error {
			now := o.Now()
			v, err := verifyChain(cs.PeerCertificates, roots, name, now)
			chain, _ := verifyChain(cs.PeerCertificates, roots, "", now)
			var alt *Verification
			if (v.Cause == CauseNameMismatch || v.Cause == CauseIPWithoutSAN) && len(cs.PeerCertificates) > 0 {
				if n := nameFromCert(cs.PeerCertificates[0], t.Host); n != "" && n != name {
					alt, _ = verifyChain(cs.PeerCertificates, roots, n, now)
				}
			}
			tr.mu.Lock()
			tr.tls.Chain = describeChain(cs.PeerCertificates)
			tr.tls.Verify, tr.tls.ChainTrusted, tr.tls.VerifyWithSAN = v, chain, alt
			tr.mu.Unlock()
			if err != nil && !t.NoTLSVerify {
				// cloudflared's error reads the same way (crypto/tls wording).
				return fmt.Errorf("tls: failed to verify certificate: %w", err)
			}
			return nil
		},
	}
	return cfg
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
