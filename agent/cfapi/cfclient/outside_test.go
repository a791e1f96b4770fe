package cfclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest/testpki"
)

// edgeCert makes a CA and a certificate for example.com and *.example.com,
// as the edge would present for the zone.
func edgeCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	now := time.Now()
	ca := testpki.NewCA(t, testpki.CASpec{Subject: pkix.Name{CommonName: "tdtest edge CA"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)})
	leaf := ca.Issue(t, testpki.LeafSpec{DNSNames: []string{"example.com", "*.example.com"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)})
	return leaf.TLS(), ca.Pool()
}

const traceBody = "fl=29f1\nh=%s\nip=198.51.100.7\nts=1732240000.1\nvisit_scheme=https\nuag=tunneldoctor\ncolo=FRA\nsliver=none\nhttp=http/1.1\nloc=DE\ntls=TLSv1.3\nsni=plaintext\nwarp=off\ngateway=off\nrbi=off\nkex=X25519\n"

const brandedBadGateway = `<!DOCTYPE html><html><head><title>bad.example.com | 502: Bad gateway</title>
<link rel="stylesheet" href="/cdn-cgi/styles/main.css"></head><body><div id="cf-wrapper"><div id="cf-error-details">
<span class="cf-error-code">502</span> Bad gateway ... Ray ID: 8e1c2d3f4a5b6c7d</div></div></body></html>`

// standInEdge answers like Cloudflare's edge for a few hostnames: the trace
// it serves itself, its branded and structured errors, 530/1033, and an
// origin's own 502 passed through.
func standInEdge(t *testing.T) cfapi.PublicOptions {
	cert, pool := edgeCert(t)
	edge := func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if host == "direct.example.com" {
			// Not behind Cloudflare: an ordinary server answers everything.
			w.Header().Set("Server", "Apache")
			http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Server", "cloudflare")
		w.Header().Set("Cf-Ray", "8e1c2d3f4a5b6c7d-FRA")
		if r.URL.Path == "/cdn-cgi/trace" {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte(strings.Replace(traceBody, "%s", host, 1)))
			return
		}
		switch host {
		case "ok.example.com":
			_, _ = w.Write([]byte("hello"))
		case "down.example.com":
			w.Header().Set("Cf-Error-Type", "1033")
			w.Header().Set("Content-Type", "application/problem+json")
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(530)
			_, _ = w.Write([]byte(`{"type":"https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-1xxx-errors/error-1033/",` +
				`"title":"Error 1033: Cloudflare Tunnel error","status":530,"detail":"The host is configured as a Cloudflare Tunnel, and Cloudflare is currently unable to resolve it.",` +
				`"instance":"8e1c2d3f4a5b6c7d","error_code":1033,"error_name":"cloudflare_tunnel_error","error_category":"config","ray_id":"8e1c2d3f4a5b6c7d",` +
				`"zone":"example.com","cloudflare_error":true,"retryable":true,"retry_after":120,"owner_action_required":true}`))
		case "bad.example.com":
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			w.WriteHeader(502)
			_, _ = w.Write([]byte(brandedBadGateway))
		case "origin.example.com":
			w.Header().Set("Server", "nginx/1.27.0") // the origin's own header passed through
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"))
		case "huge.example.com":
			for i := 0; i < 1<<14; i++ {
				if _, err := w.Write([]byte(strings.Repeat("x", 1024))); err != nil {
					return
				}
			}
		case "slow.example.com":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(edge))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	dialer := &net.Dialer{Timeout: time.Second}
	return cfapi.PublicOptions{
		RootCAs: pool, Timeout: 500 * time.Millisecond,
		Dial: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(hostport)
			if host == "nxdomain.example.com" {
				return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
			}
			if !strings.HasSuffix(host, "example.com") {
				return nil, errors.New("the stand-in edge only serves example.com")
			}
			return dialer.DialContext(ctx, network, addr) // every hostname goes to the local edge
		},
	}
}

func TestOutsideInTellsWhoProducedTheError(t *testing.T) {
	opts := standInEdge(t)
	hosts := []string{"ok.example.com", "down.example.com", "bad.example.com", "origin.example.com",
		"direct.example.com", "nxdomain.example.com", "slow.example.com", "*.example.com"}
	results := ProbePublic(context.Background(), hosts, opts)
	got := map[string]cfapi.PublicResult{}
	for _, r := range results {
		got[r.Hostname] = r
	}
	if _, ok := got["*.example.com"]; ok || len(results) != 7 {
		t.Errorf("wildcards cannot be probed; got %d results", len(results))
	}
	for _, tc := range []struct {
		host, verdict string
		code          int
	}{
		{"ok.example.com", cfapi.VerdictOK, 0},
		{"down.example.com", cfapi.VerdictCloudflareError, 1033},
		{"bad.example.com", cfapi.VerdictCloudflareError, 502},
		{"origin.example.com", cfapi.VerdictOriginError, 502},
		{"direct.example.com", cfapi.VerdictNotCloudflare, 503},
		{"nxdomain.example.com", cfapi.VerdictUnreachable, 0},
		{"slow.example.com", cfapi.VerdictUnreachable, 0},
	} {
		r := got[tc.host]
		if r.Verdict != tc.verdict || r.Code != tc.code {
			t.Errorf("%s: verdict %s code %d, want %s %d (page %+v, trace %+v)", tc.host, r.Verdict, r.Code, tc.verdict, tc.code, r.Page, r.Trace)
		}
	}
	if tr := got["down.example.com"].Trace; !tr.Cloudflare || tr.Colo != "FRA" || tr.TLS != "TLSv1.3" {
		t.Errorf("trace = %+v", tr)
	}
	if e := got["down.example.com"].Page.JSONError; e == nil || e.ErrorName != "cloudflare_tunnel_error" || e.ErrorCategory != "config" {
		t.Errorf("structured error = %+v", e)
	}
	if got["direct.example.com"].Trace.Cloudflare {
		t.Error("an ordinary server's /cdn-cgi/trace was taken for Cloudflare's")
	}
	if p := got["nxdomain.example.com"].Page; !strings.Contains(p.Error, "no such host") {
		t.Errorf("nxdomain error = %q", p.Error)
	}
	if got["origin.example.com"].Page.Server != "nginx/1.27.0" {
		t.Errorf("origin server header lost: %+v", got["origin.example.com"].Page)
	}
}

func TestOutsideInBoundsBodies(t *testing.T) {
	opts := standInEdge(t)
	opts.MaxBody = 4096
	r := ProbePublic(context.Background(), []string{"huge.example.com"}, opts)[0]
	if r.Verdict != cfapi.VerdictOK || r.Page.BodyRead != 4096 || len(r.Page.BodySample) > 512 {
		t.Errorf("16 MiB page: verdict %s, read %d bytes (limit 4096), sample %d bytes", r.Verdict, r.Page.BodyRead, len(r.Page.BodySample))
	}
}
