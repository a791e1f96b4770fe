package collect

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfapitest"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

func edgeOptions(api *cfapitest.Fake) Options {
	return Options{Edge: EdgeOptions{
		Token:   func() (cfapi.Token, error) { return cfapitest.Token, nil },
		BaseURL: api.BaseURL(), StatusPageURL: api.StatusPageURL(), Cache: cfapi.NewCache(),
		// The visitor probe is on by default: dial nothing real from tests.
		Public: cfapi.PublicOptions{Dial: offline},
	}}
}

func ingressSnapshot() *agent.Snapshot {
	s := &agent.Snapshot{}
	s.Tunnel.ID, s.Tunnel.Account = cfapitest.Tunnel, cfapitest.Account
	s.Ingress.Config = &tunnelcfg.Config{Rules: []tunnelcfg.Rule{
		{Hostname: "app.example.com", Service: "http://web:8080"}, {Service: "http_status:404"}}}
	return s
}

func TestCollectEdgeUsesDiscoveredIDsAndSkipsThePublicProbeOffline(t *testing.T) {
	api := cfapitest.New(t)
	s := ingressSnapshot()
	opts := edgeOptions(api)
	collectEdge(context.Background(), opts, s, &clients{})
	f := s.Edge.API
	if f == nil || f.Tunnel == nil || f.AccountID != cfapitest.Account || s.Edge.IDSource != "cloudflared" {
		t.Fatalf("edge facts = %+v (ids from %q)", f, s.Edge.IDSource)
	}
	if s.Edge.Missing != "" || len(s.Edge.Public) != 0 || !strings.Contains(s.Edge.PublicSkipped, "no hostname answered") {
		t.Errorf("a local API must not count as the internet: public %+v, skipped %q", s.Edge.Public, s.Edge.PublicSkipped)
	}
	if d, read := s.Edge.ProxyReadTimeout("app.example.com"); !read || d.Seconds() != 30 {
		t.Errorf("proxy read timeout = %v %v", d, read)
	}
	if d, read := s.Edge.ProxyReadTimeout("elsewhere.org"); read || d != cfapi.DefaultProxyReadTimeout {
		t.Errorf("unknown zone timeout = %v %v", d, read)
	}
}

// offline dials nothing: every hostname looks unresolvable, as on a machine
// without internet access.
func offline(ctx context.Context, network, addr string) (net.Conn, error) {
	return nil, &net.DNSError{Err: "no such host", Name: addr, IsNotFound: true}
}

// In auto mode the visitor probe is tried even without an API token; when a
// hostname answers, the machine reaches the internet and the results count.
func TestPublicProbeAutoReportsWhenAHostnameAnswers(t *testing.T) {
	edge := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "cloudflare")
		w.Header().Set("Cf-Ray", "8f00000000000000-AMS")
		if r.URL.Path == "/cdn-cgi/trace" {
			_, _ = io.WriteString(w, "fl=1\nh="+r.Host+"\nip=192.0.2.1\nts=1\nvisit_scheme=https\ncolo=AMS\nloc=NL\n")
			return
		}
		_, _ = io.WriteString(w, "hello")
	}))
	t.Cleanup(edge.Close)
	roots := x509.NewCertPool()
	roots.AddCert(edge.Certificate())
	api := cfapitest.New(t)
	opts := edgeOptions(api)
	opts.Edge.Token = nil // no API token: auto mode must still try
	opts.Edge.Public = cfapi.PublicOptions{RootCAs: roots,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, edge.Listener.Addr().String())
		}}
	s := ingressSnapshot()
	collectEdge(context.Background(), opts, s, &clients{})
	if s.Edge.PublicSkipped != "" || len(s.Edge.Public) != 1 || s.Edge.Public[0].Verdict != cfapi.VerdictOK {
		t.Fatalf("public = %+v, skipped %q", s.Edge.Public, s.Edge.PublicSkipped)
	}
}

func TestEdgeFlagsOverrideDiscovery(t *testing.T) {
	s := ingressSnapshot()
	s.Tunnel.ID = ""
	s.Ingress.File = &tunnelcfg.Config{Tunnel: "6ff42ae2-765d-4adf-8112-31c55c1551ef"}
	acc, tun, how := edgeIDs(EdgeOptions{AccountID: "0123456789abcdef0123456789abcdef"}, s)
	if acc != "0123456789abcdef0123456789abcdef" || tun != "6ff42ae2-765d-4adf-8112-31c55c1551ef" || how != "flags, config file" {
		t.Errorf("ids = %q %q from %q", acc, tun, how)
	}
}

func TestRemoteConfigHookSharesTheCache(t *testing.T) {
	api := cfapitest.New(t)
	opts := edgeOptions(api)
	s := ingressSnapshot()
	cl := &clients{} // one run: the ingress and edge collectors share its API client
	cfg, err := remoteTunnelConfig(context.Background(), opts, s, cl)
	if err != nil || cfg == nil || cfg.Version != 15 || cfg.Origin != tunnelcfg.FromAPI || len(cfg.Rules) != 3 {
		t.Fatalf("remote config = %+v, %v", cfg, err)
	}
	collectEdge(context.Background(), opts, s, cl)
	if n := api.Calls("/accounts/" + cfapitest.Account + "/cfd_tunnel/" + cfapitest.Tunnel + "/configurations"); n != 1 {
		t.Errorf("configuration read %d times in one run, want 1", n)
	}
	opts.Edge.Token = nil
	if _, err := remoteTunnelConfig(context.Background(), opts, s, &clients{}); !errors.Is(err, ErrNoAPI) {
		t.Errorf("without a token: %v, want ErrNoAPI", err)
	}
}

func TestUnreadableTokenFileIsReported(t *testing.T) {
	api := cfapitest.New(t)
	opts := edgeOptions(api)
	opts.Edge.Token = func() (cfapi.Token, error) {
		return "", errors.New("CLOUDFLARE_API_TOKEN_FILE /run/secrets/cf: permission denied")
	}
	s := ingressSnapshot()
	collectEdge(context.Background(), opts, s, &clients{})
	if !strings.Contains(s.Edge.TokenSourceError, "permission denied") || api.APICalls() != 0 {
		t.Errorf("token error %q, %d API calls", s.Edge.TokenSourceError, api.APICalls())
	}
}

func TestPublicProbeOff(t *testing.T) {
	api := cfapitest.New(t)
	opts := edgeOptions(api)
	opts.Edge.PublicProbe = PublicProbeOff
	s := ingressSnapshot()
	collectEdge(context.Background(), opts, s, &clients{})
	if s.Edge.PublicSkipped != "--no-public-probe" {
		t.Errorf("public skipped = %q", s.Edge.PublicSkipped)
	}
}

func TestPublicProbeOnRunsAndIsCached(t *testing.T) {
	api := cfapitest.New(t)
	opts := edgeOptions(api)
	opts.Edge.PublicProbe = PublicProbeOn
	dials := 0
	opts.Edge.Public.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials++ // probes are sequential here: one hostname
		return nil, &net.DNSError{Err: "no such host", Name: addr, IsNotFound: true}
	}
	for run := 0; run < 2; run++ {
		s := ingressSnapshot()
		collectEdge(context.Background(), opts, s, &clients{})
		if len(s.Edge.Public) != 1 || s.Edge.Public[0].Verdict != cfapi.VerdictUnreachable || s.Edge.PublicSkipped != "" {
			t.Fatalf("run %d: public = %+v, skipped %q", run, s.Edge.Public, s.Edge.PublicSkipped)
		}
	}
	if dials != 1 {
		t.Errorf("%d dials over two runs, want 1 (the trace; the page is not retried after no answer; the second run is cached)", dials)
	}
}

func TestTunnelInfoTakesTheEdgeIDs(t *testing.T) {
	s := &agent.Snapshot{}
	s.Edge.API = &cfapi.Facts{AccountID: cfapitest.Account, TunnelID: cfapitest.Tunnel}
	fillTunnelFromEdge(s)
	if s.Tunnel.ID != cfapitest.Tunnel || s.Tunnel.Account != cfapitest.Account {
		t.Errorf("tunnel info = %+v", s.Tunnel)
	}
	s.Tunnel.ID = "from-discovery"
	fillTunnelFromEdge(s)
	if s.Tunnel.ID != "from-discovery" {
		t.Error("discovery's id was overwritten")
	}
}
