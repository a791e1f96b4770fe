package probe

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// target builds a probe target for service with short rule timeouts.
func target(t testing.TB, service string) Target {
	t.Helper()
	tg, reason := serviceTarget(service)
	if reason != "" {
		t.Fatalf("serviceTarget(%q): %s", service, reason)
	}
	tg.Service = service
	tg.ConnectTimeout, tg.TLSTimeout = 2*time.Second, 2*time.Second
	return tg
}

func probe(t testing.TB, tg Target) Result {
	t.Helper()
	return Probe(context.Background(), tg, Options{MaxTime: 5 * time.Second})
}

func hostPort(u string) string { return u[strings.Index(u, "://")+3:] }

// byName is a test server's URL with the name localhost instead of its IP,
// so certificates for "localhost" verify.
func byName(u string) string { return strings.Replace(u, "127.0.0.1", "localhost", 1) }

func TestPlainHTTPOriginAnswers(t *testing.T) {
	s := plainOrigin(t, http.HandlerFunc(okHandler))
	tg := target(t, "http://"+hostPort(s.URL))
	tg.Hostname = "app.example.com"
	r := probe(t, tg)
	if !r.OK() {
		t.Fatalf("probe failed: %s (%s)", r.Error, r.Cause)
	}
	if r.HTTP.Status != 200 || r.HTTP.Headers["Server"] != "tdtest-origin" {
		t.Errorf("status %d, headers %v", r.HTTP.Status, r.HTTP.Headers)
	}
	// cloudflared sends the public hostname as Host.
	if r.HTTP.BodySample != "hello from app.example.com" {
		t.Errorf("body sample %q", r.HTTP.BodySample)
	}
	if r.Connect == nil || r.Connect.Address != hostPort(s.URL) {
		t.Errorf("connect phase %+v", r.Connect)
	}
	if !r.HTTP.BodyComplete || r.HTTP.LengthMismatch {
		t.Errorf("body complete=%v mismatch=%v", r.HTTP.BodyComplete, r.HTTP.LengthMismatch)
	}
}

func TestHostHeaderAndDNS(t *testing.T) {
	s := plainOrigin(t, http.HandlerFunc(okHandler))
	_, port, _ := net.SplitHostPort(hostPort(s.URL))
	tg := target(t, "http://localhost:"+port)
	tg.Hostname, tg.HTTPHostHeader = "app.example.com", "internal.app"
	r := probe(t, tg)
	if !r.OK() {
		t.Fatalf("probe failed: %s", r.Error)
	}
	if r.HTTP.BodySample != "hello from internal.app" {
		t.Errorf("httpHostHeader not sent: %q", r.HTTP.BodySample)
	}
	if r.DNS == nil || r.DNS.Host != "localhost" || len(r.DNS.Addresses) == 0 {
		t.Errorf("dns phase %+v", r.DNS)
	}
}

func TestConnectionRefused(t *testing.T) {
	r := probe(t, target(t, "http://"+refusedAddr(t)))
	if r.Cause != CauseRefused || r.Phase != PhaseConnect {
		t.Fatalf("cause %q phase %q (%s)", r.Cause, r.Phase, r.Error)
	}
	if !contains(r.Error, "connection refused") {
		t.Errorf("error %q", r.Error)
	}
}

func TestHTTPSRuleToPlainOrigin(t *testing.T) {
	s := plainOrigin(t, http.HandlerFunc(okHandler))
	r := probe(t, target(t, "https://"+hostPort(s.URL)))
	if r.Cause != CauseTLSToPlain || r.Phase != PhaseTLS {
		t.Fatalf("cause %q phase %q (%s)", r.Cause, r.Phase, r.Error)
	}
	if !contains(r.Error, "first record does not look like a TLS handshake") {
		t.Errorf("error %q", r.Error)
	}
}

func TestHTTPRuleToTLSOrigin(t *testing.T) {
	s := tlsOrigin(t, issue(t, nil, certSpec{dns: []string{"web"}}), false, http.HandlerFunc(okHandler))
	r := probe(t, target(t, "http://"+hostPort(s.URL)))
	if !r.OK() {
		t.Fatalf("the origin's 400 is an answer, not a failure: %s", r.Error)
	}
	if r.HTTP.Status != 400 || r.HTTP.PlainToTLS != "Client sent an HTTP request to an HTTPS server" {
		t.Errorf("status %d, plain-to-TLS %q, body %q", r.HTTP.Status, r.HTTP.PlainToTLS, r.HTTP.BodySample)
	}
}

func TestHTTPRuleToTLSAlertOrigin(t *testing.T) {
	// Some TLS servers answer a plain request with a TLS alert record.
	addr := rawOrigin(t, "\x15\x03\x01\x00\x02\x02\x46")
	r := probe(t, target(t, "http://"+addr))
	if r.Cause != CausePlainToTLS {
		t.Fatalf("cause %q (%s)", r.Cause, r.Error)
	}
}

func TestTLSVerification(t *testing.T) {
	ca := newCA(t)
	pool := ca.writePEM(t)
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
		{name: "self-signed", cert: issue(t, nil, certSpec{dns: []string{"localhost"}}), wantCause: CauseUnknownAuthority},
		{name: "private CA with caPool", cert: issue(t, ca, certSpec{dns: []string{"localhost"}}), caPool: pool},
		{name: "private CA without caPool", cert: issue(t, ca, certSpec{dns: []string{"localhost"}}), wantCause: CauseUnknownAuthority},
		{name: "wrong SAN", cert: issue(t, ca, certSpec{dns: []string{"web.internal"}}), caPool: pool,
			wantCause: CauseNameMismatch, wantAlt: "web.internal"},
		{name: "wrong SAN fixed by originServerName", cert: issue(t, ca, certSpec{dns: []string{"web.internal"}}),
			caPool: pool, server: "web.internal"},
		{name: "IP without IP SAN", cert: issue(t, ca, certSpec{dns: []string{"web.internal"}}), useIP: true,
			caPool: pool, wantCause: CauseIPWithoutSAN, wantAlt: "web.internal"},
		{name: "IP SAN", cert: issue(t, ca, certSpec{ips: loop}), useIP: true, caPool: pool},
		{name: "expired", cert: issue(t, ca, certSpec{dns: []string{"localhost"}, notBefore: past.Add(-time.Hour), notAfter: past}),
			caPool: pool, wantCause: CauseCertExpired},
		{name: "not yet valid", cert: issue(t, ca, certSpec{dns: []string{"localhost"}, notBefore: time.Now().Add(48 * time.Hour)}),
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
	s := tlsOrigin(t, issue(t, nil, certSpec{dns: []string{"localhost", "web"}}), false, http.HandlerFunc(okHandler))
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
	expired := issue(t, ca, certSpec{dns: []string{"web.internal"}, notBefore: time.Now().Add(-72 * time.Hour), notAfter: time.Now().Add(-24 * time.Hour)})
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
	s := tlsOrigin(t, issue(t, newCA(t), certSpec{dns: []string{"localhost"}}), false, http.HandlerFunc(okHandler))
	tg := target(t, byName(s.URL))
	tg.CAPool = "/etc/cloudflared/does-not-exist-ca.pem"
	r := probe(t, tg)
	if r.TLS.CAPool == nil || !contains(r.TLS.CAPool.Error, "inside cloudflared's container") {
		t.Fatalf("caPool status %+v", r.TLS.CAPool)
	}
	if r.Cause != CauseUnknownAuthority {
		t.Errorf("cause %q", r.Cause)
	}
}

func TestSNI(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	cert := issue(t, nil, certSpec{dns: []string{"localhost"}})
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

func TestConnectTimeout(t *testing.T) {
	tg := target(t, "http://"+backloggedAddr(t))
	tg.ConnectTimeout = 400 * time.Millisecond
	r := probe(t, tg)
	if r.Cause != CauseConnectTimeout || r.Phase != PhaseConnect || r.CutShort {
		t.Fatalf("cause %q phase %q cut %v (%s)", r.Cause, r.Phase, r.CutShort, r.Error)
	}
	if r.Total < 350*time.Millisecond || r.Total > 3*time.Second {
		t.Errorf("took %v for a 400ms connectTimeout", r.Total)
	}
}

func TestProbeLimitShorterThanConnectTimeout(t *testing.T) {
	tg := target(t, "http://"+backloggedAddr(t))
	tg.ConnectTimeout = 30 * time.Second // cloudflared's default
	r := Probe(context.Background(), tg, Options{MaxTime: 300 * time.Millisecond})
	if r.Phase != PhaseConnect || !r.CutShort {
		t.Fatalf("phase %q cut %v: the probe limit, not connectTimeout, ended it", r.Phase, r.CutShort)
	}
}

func TestHangingOriginIsBounded(t *testing.T) {
	tg := target(t, "http://"+silentListener(t))
	r := Probe(context.Background(), tg, Options{MaxTime: 400 * time.Millisecond})
	if r.Phase != PhaseResponse || r.Cause != CauseTimeout || !r.CutShort {
		t.Fatalf("phase %q cause %q cut %v (%s)", r.Phase, r.Cause, r.CutShort, r.Error)
	}
	if r.Total > 2*time.Second {
		t.Errorf("took %v with a 400ms limit", r.Total)
	}
}

func TestSlowLorisBodyIsBounded(t *testing.T) {
	s := plainOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		for {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}))
	r := Probe(context.Background(), target(t, s.URL), Options{MaxTime: 500 * time.Millisecond})
	if r.Phase != PhaseBody || r.Cause != CauseTimeout {
		t.Fatalf("phase %q cause %q (%s)", r.Phase, r.Cause, r.Error)
	}
	if r.Total > 2*time.Second || r.HTTP == nil || r.HTTP.BodyRead == 0 || r.HTTP.BodyComplete {
		t.Errorf("total %v http %+v", r.Total, r.HTTP)
	}
}

func TestOriginOwn502(t *testing.T) {
	s := plainOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Server", "nginx/1.25.3")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><center><h1>502 Bad Gateway</h1></center></html>")
	}))
	r := probe(t, target(t, s.URL))
	if !r.OK() || r.HTTP.Status != 502 || r.HTTP.Headers["Server"] != "nginx/1.25.3" || !contains(r.HTTP.BodySample, "502 Bad Gateway") {
		t.Fatalf("result %+v http %+v", r, r.HTTP)
	}
}

func TestBrokenGzip(t *testing.T) {
	s := plainOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = io.WriteString(w, "this is not gzip at all")
	}))
	r := probe(t, target(t, s.URL))
	if r.HTTP == nil || r.HTTP.Gzip == nil || r.HTTP.Gzip.Error == "" || r.HTTP.Gzip.Complete {
		t.Fatalf("gzip %+v", r.HTTP)
	}
}

func TestTruncatedGzip(t *testing.T) {
	s := plainOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		var b strings.Builder
		zw := gzip.NewWriter(&b)
		_, _ = io.WriteString(zw, strings.Repeat("payload ", 1000))
		_ = zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = io.WriteString(w, b.String()[:b.Len()/2]) // cut mid-stream
	}))
	r := probe(t, target(t, s.URL))
	if r.HTTP.Gzip == nil || !contains(r.HTTP.Gzip.Error, "unexpected EOF") {
		t.Fatalf("gzip %+v", r.HTTP.Gzip)
	}
}

func TestGoodGzip(t *testing.T) {
	s := plainOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = io.WriteString(zw, "compressed hello")
		_ = zw.Close()
	}))
	r := probe(t, target(t, s.URL))
	if r.HTTP.Gzip == nil || !r.HTTP.Gzip.Complete || r.HTTP.Gzip.Error != "" || r.HTTP.BodySample != "compressed hello" {
		t.Fatalf("gzip %+v sample %q", r.HTTP.Gzip, r.HTTP.BodySample)
	}
}

func TestContentLengthLongerThanBody(t *testing.T) {
	addr := rawOrigin(t, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nServer: liar\r\n\r\nshort")
	r := probe(t, target(t, "http://"+addr))
	if !r.OK() || r.HTTP == nil || !r.HTTP.LengthMismatch || r.HTTP.BodyRead != 5 || r.HTTP.ContentLength != 100 {
		t.Fatalf("result %+v http %+v", r, r.HTTP)
	}
}

func TestBodyLimit(t *testing.T) {
	s := plainOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		chunk := []byte(strings.Repeat("z", 4096))
		for i := 0; i < 1024; i++ { // 4 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	r := Probe(context.Background(), target(t, s.URL), Options{MaxTime: 5 * time.Second, MaxBody: 64 << 10})
	if !r.OK() || r.HTTP.BodyRead != 64<<10 || r.HTTP.BodyComplete || len(r.HTTP.BodySample) != DefaultBodySample {
		t.Fatalf("error %q http %+v", r.Error, r.HTTP)
	}
}

func TestHTTP2Origin(t *testing.T) {
	cert := issue(t, nil, certSpec{dns: []string{"localhost"}})
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

func TestRedirectIsRecordedNotFollowed(t *testing.T) {
	s := plainOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://"+r.Host+r.URL.Path, http.StatusMovedPermanently)
	}))
	tg := target(t, s.URL)
	tg.Hostname = "app.example.com"
	r := probe(t, tg)
	if r.HTTP.Status != 301 || r.HTTP.Headers["Location"] != "https://app.example.com/" {
		t.Fatalf("http %+v", r.HTTP)
	}
}

func TestUnixSocket(t *testing.T) {
	path := unixOrigin(t, http.HandlerFunc(okHandler))
	tg := target(t, "unix:"+path)
	tg.Hostname = "app.example.com"
	r := probe(t, tg)
	if !r.OK() || r.HTTP.Status != 200 || r.HTTP.BodySample != "hello from app.example.com" {
		t.Fatalf("error %q http %+v", r.Error, r.HTTP)
	}
	missing := probe(t, target(t, "unix:"+path+".gone"))
	if missing.Cause != CauseUnixSocketMissing {
		t.Errorf("missing socket: cause %q (%s)", missing.Cause, missing.Error)
	}
}

func TestTCPService(t *testing.T) {
	up := probe(t, target(t, "tcp://"+silentListener(t)))
	if !up.OK() || up.Connect == nil || up.Connect.Address == "" || up.HTTP != nil {
		t.Errorf("reachable tcp: %+v", up)
	}
	down := probe(t, target(t, "ssh://"+refusedAddr(t)))
	if down.Cause != CauseRefused {
		t.Errorf("refused ssh: cause %q (%s)", down.Cause, down.Error)
	}
}

func TestRunIsConcurrentAndOrdered(t *testing.T) {
	// The origin answers only once every probe is waiting on it at the same
	// time: run serially, every probe would hit its limit instead.
	const n = 12
	var arrived sync.WaitGroup
	arrived.Add(n)
	all := make(chan struct{})
	go func() { arrived.Wait(); close(all) }()
	s := plainOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Done()
		select {
		case <-all:
			okHandler(w, r)
		case <-r.Context().Done():
		}
	}))
	refused := "http://" + refusedAddr(t)
	var targets []Target
	for i := 0; i < n+3; i++ {
		svc := s.URL
		if i >= n {
			svc = refused
		}
		tg := target(t, svc)
		tg.Rule = i
		targets = append(targets, tg)
	}
	results := Run(context.Background(), targets, Options{MaxTime: 10 * time.Second, Concurrency: n + 3})
	for i, r := range results {
		if r.Target.Rule != i {
			t.Fatalf("result %d is for rule %d", i, r.Target.Rule)
		}
		if (i < n) != r.OK() {
			t.Errorf("rule %d: ok=%v (%s)", i, r.OK(), r.Error)
		}
	}
}

func TestNoTLSVerifyWouldVerifyWithSANName(t *testing.T) {
	ca := newCA(t)
	s := tlsOrigin(t, issue(t, ca, certSpec{dns: []string{"web.internal"}}), false, http.HandlerFunc(okHandler))
	tg := target(t, byName(s.URL))
	tg.NoTLSVerify, tg.CAPool = true, ca.writePEM(t)
	r := probe(t, tg)
	if !r.OK() || r.TLS.Verify.OK || r.TLS.VerifyWithSAN == nil || !r.TLS.VerifyWithSAN.OK || r.TLS.VerifyWithSAN.Name != "web.internal" {
		t.Fatalf("error %q verify %+v with SAN %+v", r.Error, r.TLS.Verify, r.TLS.VerifyWithSAN)
	}
}

// closingOrigin accepts, reads the request and closes; with reset it closes
// with SO_LINGER 0 so the peer gets a RST instead of a FIN.
func closingOrigin(t *testing.T, reset bool) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 4096)
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, _ = c.Read(buf)
			if reset {
				_ = c.(*net.TCPConn).SetLinger(0)
			}
			_ = c.Close()
		}
	}()
	return l.Addr().String()
}

func TestPeerClosesOrResets(t *testing.T) {
	if r := probe(t, target(t, "http://"+closingOrigin(t, false))); r.Cause != CauseEOF || r.Phase != PhaseResponse {
		t.Errorf("closed: cause %q phase %q (%s)", r.Cause, r.Phase, r.Error)
	}
	if r := probe(t, target(t, "http://"+closingOrigin(t, true))); r.Cause != CauseReset || r.Phase != PhaseResponse {
		t.Errorf("reset: cause %q phase %q (%s)", r.Cause, r.Phase, r.Error)
	}
}
