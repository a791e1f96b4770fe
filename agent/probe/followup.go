package probe

import (
	"context"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // the WebSocket handshake is defined with SHA-1 (RFC 6455)
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Follow-up requests made after the main probe, when its answer calls for
// them: a WebSocket upgrade for ws:// and wss:// services, and, when the
// origin refused the request with 400/403/421, the same request with a Host
// the app may accept (the answer tells httpHostHeader from an allow-list).

// WebSocketPhase is the origin's answer to an Upgrade: websocket request,
// sent the way cloudflared forwards a visitor's WebSocket.
type WebSocketPhase struct {
	Path   string `json:"path"`
	Status int    `json:"status,omitempty"`
	// Upgrade and Accept are the Upgrade and Sec-WebSocket-Accept response
	// headers; AcceptValid is true when Accept matches the key sent.
	Upgrade     string `json:"upgrade,omitempty"`
	Accept      string `json:"accept,omitempty"`
	AcceptValid bool   `json:"accept_valid,omitempty"`
	BodySample  string `json:"body_sample,omitempty"`
	Error       string `json:"error,omitempty"`
}

// Completed reports whether the origin switched protocols correctly.
func (w *WebSocketPhase) Completed() bool {
	return w != nil && w.Status == http.StatusSwitchingProtocols && w.AcceptValid
}

// HostTry is one retry of a refused request with another Host header.
type HostTry struct {
	Host       string `json:"host"`
	Status     int    `json:"status,omitempty"`
	BodySample string `json:"body_sample,omitempty"`
	Error      string `json:"error,omitempty"`
}

// IsWebSocket reports whether the service is ws:// or wss://.
func (t Target) IsWebSocket() bool {
	s := strings.ToLower(t.Service)
	return strings.HasPrefix(s, "ws://") || strings.HasPrefix(s, "wss://")
}

// hostRefusalStatus reports whether a status is how apps refuse a Host they
// do not serve (Django and Home Assistant 400, Vite and Nextcloud 403,
// reverse proxies 421 Misdirected Request).
func hostRefusalStatus(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusForbidden || status == http.StatusMisdirectedRequest
}

// followUps runs the follow-up requests the main answer calls for, within
// what is left of the probe's deadline.
func followUps(ctx context.Context, t Target, o Options, r *Result) {
	if r.Error != "" || r.HTTP == nil || t.Kind != KindHTTP {
		return
	}
	if t.IsWebSocket() {
		r.WebSocket = probeWebSocket(ctx, t, o)
	}
	if hostRefusalStatus(r.HTTP.Status) {
		sent := t.HostHeader()
		for _, h := range []string{t.Host, "localhost"} {
			if h == "" || strings.EqualFold(h, sent) {
				continue
			}
			try := HostTry{Host: h}
			status, body, err := simpleRequest(ctx, t, o, h, nil)
			try.Status, try.BodySample = status, body
			if err != nil {
				try.Error = err.Error()
			}
			r.HostTries = append(r.HostTries, try)
			if err == nil && status < 400 {
				break
			}
		}
	}
}

// followTransport is a transport like the main probe's, without tracing.
func followTransport(t Target, o Options) *http.Transport {
	dialer := &net.Dialer{Timeout: t.ConnectTimeout, Resolver: o.Resolver}
	tr := &http.Transport{
		DialContext:         dialer.DialContext,
		TLSHandshakeTimeout: t.TLSTimeout,
		DisableKeepAlives:   true,
		DisableCompression:  true,
	}
	if t.Network == "unix" {
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, "unix", t.Address)
		}
	}
	if t.TLS {
		tt := newTracer()
		tt.tls = &TLSPhase{ServerName: t.ServerName()}
		tr.TLSClientConfig = tlsConfig(t, o, tt)
	}
	return tr
}

// simpleRequest sends GET / with host as Host and returns the status and a
// body sample.
func simpleRequest(ctx context.Context, t Target, o Options, host string, hdr http.Header) (int, string, error) {
	tr := followTransport(t, o)
	defer tr.CloseIdleConnections()
	req, err := followRequest(ctx, t, host)
	if err != nil {
		return 0, "", err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return 0, "", fmt.Errorf("GET %s with Host %s: %w", t.Service, host, err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, sampleOf(resp.Body, o.BodySample), nil
}

func followRequest(ctx context.Context, t Target, host string) (*http.Request, error) {
	scheme, urlHost := "http", t.Address
	if t.TLS {
		scheme = "https"
	}
	if t.Network == "unix" {
		urlHost = "localhost"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+urlHost+"/", nil)
	if err != nil {
		return nil, fmt.Errorf("building request for %s: %w", t.Service, err)
	}
	req.Host = host
	req.Header.Set("User-Agent", "tunneldoctor-probe")
	req.Header.Set("X-Forwarded-For", visitorIP)
	return req, nil
}

// visitorIP stands for the visitor in X-Forwarded-For, as cloudflared
// forwards it (TEST-NET-3: never a real address).
const visitorIP = "203.0.113.7"

// probeWebSocket sends the upgrade request a visitor's browser sends, over
// HTTP/1.1 as cloudflared does.
func probeWebSocket(ctx context.Context, t Target, o Options) *WebSocketPhase {
	w := &WebSocketPhase{Path: "/"}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	k := base64.StdEncoding.EncodeToString(key)
	hdr := http.Header{
		"Connection":            {"Upgrade"},
		"Upgrade":               {"websocket"},
		"Sec-Websocket-Version": {"13"},
		"Sec-Websocket-Key":     {k},
	}
	tr := followTransport(t, o)
	tr.ForceAttemptHTTP2 = false
	defer tr.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := followRequest(ctx, t, t.HostHeader())
	if err != nil {
		w.Error = err.Error()
		return w
	}
	for h, v := range hdr {
		req.Header[h] = v
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		w.Error = fmt.Sprintf("GET %s with Upgrade: websocket: %v", t.Service, err)
		return w
	}
	defer resp.Body.Close()
	w.Status = resp.StatusCode
	w.Upgrade = truncate(resp.Header.Get("Upgrade"), 64)
	w.Accept = truncate(resp.Header.Get("Sec-WebSocket-Accept"), 64)
	w.AcceptValid = w.Accept == websocketAccept(k)
	if resp.StatusCode != http.StatusSwitchingProtocols {
		w.BodySample = sampleOf(resp.Body, o.BodySample)
	}
	return w
}

// websocketAccept is the Sec-WebSocket-Accept for a key (RFC 6455 §4.2.2).
func websocketAccept(key string) string {
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")) //nolint:gosec // RFC 6455
	return base64.StdEncoding.EncodeToString(h[:])
}

// sampleOf reads up to n bytes of a body as text.
func sampleOf(body io.Reader, n int) string {
	s := &sampleBuffer{max: n}
	_, _ = io.Copy(s, io.LimitReader(body, int64(n)))
	return s.String()
}
