package probe

import (
	"crypto/tls"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest/testpki"
)

func TestTLSVerification(t *testing.T) {
	ca := newCA(t)
	pool := caPoolFile(t, ca)
	loop := []net.IP{net.ParseIP("127.0.0.1")}
	past := time.Now().Add(-48 * time.Hour)
	cases := []struct {
		name      string
		cert      tls.Certificate
		useIP     bool // dial 127.0.0.1 instead of localhost
		caPool    string
		noVerify  bool
		server    string // originServerName
		wantCause Cause
		wantAlt   string // name that verifies instead, "" for none
	}{
		{name: "self-signed", cert: testpki.SelfSigned(t, testpki.LeafSpec{DNSNames: []string{"localhost"}}).TLS(), wantCause: CauseUnknownAuthority},
		{name: "private CA with caPool", cert: ca.Issue(t, testpki.LeafSpec{DNSNames: []string{"localhost"}}).TLS(), caPool: pool},
		{name: "private CA without caPool", cert: ca.Issue(t, testpki.LeafSpec{DNSNames: []string{"localhost"}}).TLS(), wantCause: CauseUnknownAuthority},
		{name: "wrong SAN", cert: ca.Issue(t, testpki.LeafSpec{DNSNames: []string{"web.internal"}}).TLS(), caPool: pool,
			wantCause: CauseNameMismatch, wantAlt: "web.internal"},
		{name: "wrong SAN fixed by originServerName", cert: ca.Issue(t, testpki.LeafSpec{DNSNames: []string{"web.internal"}}).TLS(),
			caPool: pool, server: "web.internal"},
		{name: "IP without IP SAN", cert: ca.Issue(t, testpki.LeafSpec{DNSNames: []string{"web.internal"}}).TLS(), useIP: true,
			caPool: pool, wantCause: CauseIPWithoutSAN, wantAlt: "web.internal"},
		{name: "IP SAN", cert: ca.Issue(t, testpki.LeafSpec{IPs: loop}).TLS(), useIP: true, caPool: pool},
		{name: "expired", cert: ca.Issue(t, testpki.LeafSpec{DNSNames: []string{"localhost"}, NotBefore: past.Add(-time.Hour), NotAfter: past}).TLS(),
			caPool: pool, wantCause: CauseCertExpired},
		{name: "not yet valid", cert: ca.Issue(t, testpki.LeafSpec{DNSNames: []string{"localhost"}, NotBefore: time.Now().Add(48 * time.Hour)}).TLS(),
			caPool: pool, wantCause: CauseCertNotYetValid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tlsOrigin(t, tc.cert, false, http.HandlerFunc(okHandler))
			_, port, _ := net.SplitHostPort(hostPort(s.URL))
			host := "localhost"
			if tc.useIP {
				host = "127.0.0.1"
			}
			tg := target(t, "https://"+net.JoinHostPort(host, port))
			tg.CAPool, tg.NoTLSVerify, tg.OriginServerName = tc.caPool, tc.noVerify, tc.server
			r := probe(t, tg)
			if r.Cause != tc.wantCause {
				t.Fatalf("cause %q, want %q (%s)", r.Cause, tc.wantCause, r.Error)
			}
			if r.TLS == nil || len(r.TLS.Chain) == 0 || r.TLS.Verify == nil {
				t.Fatalf("the chain must be recorded even on failure: %+v", r.TLS)
			}
			if r.TLS.Verify.Cause != tc.wantCause {
				t.Errorf("verify cause %q", r.TLS.Verify.Cause)
			}
			if tc.wantCause != CauseNone && !contains(r.Error, "tls: failed to verify certificate: x509: ") {
				t.Errorf("error should read like cloudflared's: %q", r.Error)
			}
			switch {
			case tc.wantAlt == "" && r.TLS.VerifyWithSAN != nil:
				t.Errorf("unexpected SAN verification %+v", r.TLS.VerifyWithSAN)
			case tc.wantAlt != "" && (r.TLS.VerifyWithSAN == nil || !r.TLS.VerifyWithSAN.OK || r.TLS.VerifyWithSAN.Name != tc.wantAlt):
				t.Errorf("SAN verification %+v, want OK for %s", r.TLS.VerifyWithSAN, tc.wantAlt)
			}
			if tc.wantCause == CauseNone && (r.HTTP == nil || r.HTTP.Status != 200) {
				t.Errorf("want a 200 answer, got %+v", r.HTTP)
			}
		})
	}
}

func TestSelfSignedChainIsDescribed(t *testing.T) {
	s := tlsOrigin(t, testpki.SelfSigned(t, testpki.LeafSpec{DNSNames: []string{"localhost", "web"}}).TLS(), false, http.HandlerFunc(okHandler))
	r := probe(t, target(t, s.URL))
	c := r.TLS.Chain[0]
	if !c.SelfSigned || c.Subject != "CN=localhost" || strings.Join(c.DNSNames, ",") != "localhost,web" {
		t.Errorf("chain %+v", c)
	}
	if r.TLS.ChainTrusted == nil || r.TLS.ChainTrusted.OK {
		t.Errorf("a self-signed chain is not trusted: %+v", r.TLS.ChainTrusted)
	}
}

func TestNoTLSVerifyStillInspects(t *testing.T) {
	ca := newCA(t)
	expired := ca.Issue(t, testpki.LeafSpec{DNSNames: []string{"web.internal"}, NotBefore: time.Now().Add(-72 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)}).TLS()
	s := tlsOrigin(t, expired, false, http.HandlerFunc(okHandler))
	tg := target(t, s.URL)
	tg.NoTLSVerify = true
	r := probe(t, tg)
	if !r.OK() || r.HTTP.Status != 200 {
		t.Fatalf("noTLSVerify must let the request through: %s", r.Error)
	}
	if r.TLS.Verify.OK || r.TLS.Verify.Cause != CauseNameMismatch && r.TLS.Verify.Cause != CauseIPWithoutSAN && r.TLS.Verify.Cause != CauseCertExpired {
		t.Errorf("verification must still run: %+v", r.TLS.Verify)
	}
	if !r.TLS.Chain[0].NotAfter.Before(time.Now()) {
		t.Errorf("expiry not reported: %+v", r.TLS.Chain[0])
	}
}

func TestCAPoolNotReadable(t *testing.T) {
	s := tlsOrigin(t, newCA(t).Issue(t, testpki.LeafSpec{DNSNames: []string{"localhost"}}).TLS(), false, http.HandlerFunc(okHandler))
	tg := target(t, byName(s.URL))
	tg.CAPool = "/etc/cloudflared/does-not-exist-ca.pem"
	r := probe(t, tg)
	if r.TLS.CAPool == nil || !r.TLS.CAPool.Unreadable || !contains(r.TLS.CAPool.Error, "inside cloudflared's container") {
		t.Fatalf("caPool status %+v", r.TLS.CAPool)
	}
	if r.Cause != CauseUnknownAuthority {
		t.Errorf("cause %q", r.Cause)
	}
}

func TestSNI(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	cert := testpki.SelfSigned(t, testpki.LeafSpec{DNSNames: []string{"localhost"}}).TLS()
	s := tlsOrigin(t, cert, false, http.HandlerFunc(okHandler))
	s.TLS.GetCertificate = func(h *tls.ClientHelloInfo) (*tls.Certificate, error) {
		mu.Lock()
		seen = append(seen, h.ServerName)
		mu.Unlock()
		return &cert, nil
	}
	s.TLS.Certificates = nil
	for _, tc := range []struct {
		name  string
		setup func(*Target)
		want  string
	}{
		{"service host", func(*Target) {}, "localhost"},
		{"originServerName", func(tg *Target) { tg.OriginServerName = "origin.internal" }, "origin.internal"},
		{"matchSNItoHost", func(tg *Target) { tg.MatchSNIToHost = true }, "app.example.com"},
	} {
		tg := target(t, byName(s.URL))
		tg.Hostname, tg.NoTLSVerify = "app.example.com", true
		tc.setup(&tg)
		r := probe(t, tg)
		mu.Lock()
		got := seen[len(seen)-1]
		mu.Unlock()
		if got != tc.want || r.TLS.ServerName != tc.want {
			t.Errorf("%s: origin saw SNI %q, result says %q, want %q", tc.name, got, r.TLS.ServerName, tc.want)
		}
	}
}

func TestTLSHandshakeTimeout(t *testing.T) {
	tg := target(t, "https://"+silentListener(t))
	tg.TLSTimeout = 300 * time.Millisecond
	r := probe(t, tg)
	if r.Cause != CauseTLSHandshakeTimeo || r.Phase != PhaseTLS || r.CutShort {
		t.Fatalf("cause %q phase %q cut %v (%s)", r.Cause, r.Phase, r.CutShort, r.Error)
	}
	if r.Total > 3*time.Second {
		t.Errorf("took %v for a 300ms tlsTimeout", r.Total)
	}
}

func TestHTTP2Origin(t *testing.T) {
	cert := testpki.SelfSigned(t, testpki.LeafSpec{DNSNames: []string{"localhost"}}).TLS()
	for _, tc := range []struct {
		name      string
		serverH2  bool
		wantProto string
		wantALPN  string
	}{
		{"HTTP/1.1-only origin", false, "HTTP/1.1", "http/1.1"},
		{"HTTP/2 origin", true, "HTTP/2.0", "h2"},
	} {
		s := tlsOrigin(t, cert, tc.serverH2, http.HandlerFunc(okHandler))
		tg := target(t, s.URL)
		tg.HTTP2Origin, tg.NoTLSVerify = true, true
		r := probe(t, tg)
		if !r.OK() || r.HTTP.Proto != tc.wantProto || r.TLS.ALPN != tc.wantALPN {
			t.Errorf("%s: error %q proto %q alpn %q", tc.name, r.Error, r.HTTP.Proto, r.TLS.ALPN)
		}
	}
}

func TestNoTLSVerifyWouldVerifyWithSANName(t *testing.T) {
	ca := newCA(t)
	s := tlsOrigin(t, ca.Issue(t, testpki.LeafSpec{DNSNames: []string{"web.internal"}}).TLS(), false, http.HandlerFunc(okHandler))
	tg := target(t, byName(s.URL))
	tg.NoTLSVerify, tg.CAPool = true, caPoolFile(t, ca)
	r := probe(t, tg)
	if !r.OK() || r.TLS.Verify.OK || r.TLS.VerifyWithSAN == nil || !r.TLS.VerifyWithSAN.OK || r.TLS.VerifyWithSAN.Name != "web.internal" {
		t.Fatalf("error %q verify %+v with SAN %+v", r.Error, r.TLS.Verify, r.TLS.VerifyWithSAN)
	}
}

func TestUnixTLSSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tls.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	cert := testpki.SelfSigned(t, testpki.LeafSpec{DNSNames: []string{"app.example.com"}}).TLS()
	srv := &http.Server{Handler: http.HandlerFunc(okHandler), ReadHeaderTimeout: 5 * time.Second, ErrorLog: quietLog()}
	go func() { _ = srv.Serve(tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{cert}})) }()
	t.Cleanup(func() { _ = srv.Close() })

	tg := target(t, "unix+tls:"+path)
	tg.Hostname = "app.example.com"
	r := probe(t, tg)
	// The SNI is the public hostname, so the name matches; the certificate
	// is self-signed, so only the authority fails.
	if r.Cause != CauseUnknownAuthority || r.TLS.ServerName != "app.example.com" || len(r.TLS.Chain) != 1 {
		t.Fatalf("cause %q (%s) tls %+v", r.Cause, r.Error, r.TLS)
	}
	tg.NoTLSVerify = true
	if r := probe(t, tg); !r.OK() || r.HTTP.Status != 200 {
		t.Fatalf("with noTLSVerify: %s", r.Error)
	}
}
