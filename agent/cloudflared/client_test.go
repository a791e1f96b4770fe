package cloudflared

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fakeCloudflared serves cloudflared's metrics endpoints with the bodies
// cloudflared 2026.8 produces (shapes from the fact sheet §3.2).
func fakeCloudflared(t *testing.T, ready int, extra map[string]string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/ready", func(w http.ResponseWriter, _ *http.Request) {
		n := 4
		if ready != 200 {
			n = 0
		}
		w.WriteHeader(ready)
		fmt.Fprintf(w, `{"status":%d,"readyConnections":%d,"connectorId":"39787437-ace5-4d6f-bdc6-140869a37f4d"}`, ready, n)
	})
	for path, body := range extra {
		mux.HandleFunc(path, func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, body) })
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestReady(t *testing.T) {
	for _, code := range []int{200, 503} {
		srv := fakeCloudflared(t, code, nil)
		r, err := NewClient(srv.URL, srv.Client(), 0).Ready(context.Background())
		if err != nil {
			t.Fatalf("Ready: %v", err)
		}
		if r.Status != code || r.ConnectorID != "39787437-ace5-4d6f-bdc6-140869a37f4d" {
			t.Errorf("ready = %+v, want status %d", r, code)
		}
		if code == 503 && r.ReadyConnections != 0 {
			t.Errorf("readyConnections = %d, want 0", r.ReadyConnections)
		}
	}
}

func TestReadyFromSomethingElse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "<html>not cloudflared</html>")
	}))
	defer srv.Close()
	_, err := NewClient(srv.URL, srv.Client(), 0).Ready(context.Background())
	if err == nil || !strings.Contains(err.Error(), "not cloudflared's JSON") {
		t.Fatalf("err = %v, want a not-cloudflared error", err)
	}
}

func TestTunnelStateOmitemptyQuirks(t *testing.T) {
	// Connection 0 over http2: no "protocol", no "index". Connection 1 quic.
	body := `{"tunnelID":"6ff42ae2-765d-4adf-8112-31c55c1551ef","connectorID":"39787437-ace5-4d6f-bdc6-140869a37f4d","connections":[{"isConnected":true,"edgeAddress":"198.41.200.13"},{"isConnected":true,"protocol":1,"edgeAddress":"198.41.200.23","index":1}],"icmp_sources":["172.17.0.2"]}`
	srv := fakeCloudflared(t, 200, map[string]string{"/diag/tunnel": body})
	ts, err := NewClient(srv.URL, srv.Client(), 0).TunnelState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ts.TunnelID != "6ff42ae2-765d-4adf-8112-31c55c1551ef" || len(ts.Connections) != 2 {
		t.Fatalf("state = %+v", ts)
	}
	if c := ts.Connections[0]; c.Index != 0 || c.Protocol != "http2" {
		t.Errorf("conn 0 = %+v, want index 0 over http2", c)
	}
	if c := ts.Connections[1]; c.Index != 1 || c.Protocol != "quic" {
		t.Errorf("conn 1 = %+v, want index 1 over quic", c)
	}
	if ts.Connected() != 2 {
		t.Errorf("connected = %d", ts.Connected())
	}

	// Nothing connected: no "connections" key; unknown IDs are zero UUIDs.
	srv = fakeCloudflared(t, 503, map[string]string{"/diag/tunnel": `{"tunnelID":"00000000-0000-0000-0000-000000000000","connectorID":"39787437-ace5-4d6f-bdc6-140869a37f4d"}`})
	ts, err = NewClient(srv.URL, srv.Client(), 0).TunnelState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if ts.TunnelID != "" || ts.Connected() != 0 {
		t.Errorf("state = %+v, want no tunnel ID and no connections", ts)
	}
}

func TestMetrics(t *testing.T) {
	body := `# HELP build_info Build and version information
# TYPE build_info gauge
build_info{goversion="go1.26.4",revision="d1df7985",type="",version="2026.8.2"} 1
cloudflared_orchestration_config_version 0
cloudflared_tunnel_ha_connections 1
cloudflared_tunnel_request_errors 17
cloudflared_tunnel_total_requests 120
cloudflared_tunnel_response_by_code{status_code="200"} 90
cloudflared_tunnel_response_by_code{status_code="400"} 13
some_other_metric{a="b"} 4
garbage line
`
	srv := fakeCloudflared(t, 200, map[string]string{"/metrics": body})
	m, err := NewClient(srv.URL, srv.Client(), 0).Metrics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if m.RequestErrors != 17 || m.TotalRequests != 120 || m.Version != "2026.8.2" || m.HAConnections != 1 {
		t.Errorf("metrics = %+v", m)
	}
	if m.ResponsesByCode["400"] != 13 || m.ResponsesByCode["200"] != 90 {
		t.Errorf("responses by code = %v", m.ResponsesByCode)
	}
	if !m.Seen[MetricRequestErrors] || m.Seen["some_other_metric"] {
		t.Errorf("seen = %v", m.Seen)
	}
}

func TestConfigVersions(t *testing.T) {
	local := `{"version":-1,"config":{"ingress":[{"hostname":"app.example.com","path":null,"service":"http://web:8080","Handlers":null,"originRequest":{"connectTimeout":30}},{"hostname":"","path":"^/api","service":"http_status:404","Handlers":null,"originRequest":{}}],"warp-routing":{},"originRequest":{"connectTimeout":30}}}`
	srv := fakeCloudflared(t, 200, map[string]string{"/config": local})
	cfg, err := NewClient(srv.URL, srv.Client(), 0).Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Version != -1 || len(cfg.Rules) != 2 || cfg.Rules[0].Service != "http://web:8080" || cfg.Rules[1].Path != "^/api" {
		t.Errorf("config = %+v", cfg)
	}
	srv = fakeCloudflared(t, 200, map[string]string{"/config": `{"version":4,"config":{"ingress":[{"hostname":"","path":null,"service":"http_status:503"}]}}`})
	cfg, err = NewClient(srv.URL, srv.Client(), 0).Config(context.Background())
	if err != nil || cfg.Version != 4 {
		t.Errorf("config = %+v, %v; want version 4", cfg, err)
	}
	srv = fakeCloudflared(t, 200, map[string]string{"/config": `{"ingress":[]}`})
	if _, err = NewClient(srv.URL, srv.Client(), 0).Config(context.Background()); err == nil {
		t.Error("a body without version/config was accepted")
	}
}

func TestBodyIsBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		chunk := []byte(strings.Repeat("a", 64*1024))
		for i := 0; i < 1024; i++ { // 64 MiB if nobody stops reading
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	_, err := NewClient(srv.URL, srv.Client(), 1<<20).Metrics(context.Background())
	if !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("err = %v, want ErrBodyTooLarge", err)
	}
}

func TestHangingServerTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // accept and never answer
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	c := NewClient(ln.Addr().String(), &http.Client{Timeout: 200 * time.Millisecond}, 0)
	start := time.Now()
	_, err = c.Ready(context.Background())
	if err == nil {
		t.Fatal("no error from a server that never answers")
	}
	if !isTimeout(err) {
		t.Errorf("err = %v, want a timeout", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	var followed bool
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		followed = true
		fmt.Fprint(w, `{"status":200,"readyConnections":4,"connectorId":"x"}`)
	}))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/ready", http.StatusFound)
	}))
	defer srv.Close()
	if _, err := NewClient(srv.URL, srv.Client(), 0).Ready(context.Background()); err == nil {
		t.Error("a redirect was taken for cloudflared's answer")
	}
	if followed {
		t.Error("the redirect was followed")
	}
}
