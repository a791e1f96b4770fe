package probe

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest/testpki"
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
	r, _ := Probe(context.Background(), tg, Options{MaxTime: 5 * time.Second})
	return r
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
	s := tlsOrigin(t, testpki.SelfSigned(t, testpki.LeafSpec{DNSNames: []string{"web"}}).TLS(), false, http.HandlerFunc(okHandler))
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
	r, _ := Probe(context.Background(), tg, Options{MaxTime: 300 * time.Millisecond})
	if r.Phase != PhaseConnect || !r.CutShort {
		t.Fatalf("phase %q cut %v: the probe limit, not connectTimeout, ended it", r.Phase, r.CutShort)
	}
}

func TestSlowOriginTimeToFirstByte(t *testing.T) {
	const delay = 300 * time.Millisecond
	s := plainOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		okHandler(w, r)
	}))
	r := probe(t, target(t, s.URL))
	if !r.OK() || r.HTTP.TTFB < delay || r.HTTP.TTFB > r.Total {
		t.Fatalf("error %q ttfb %v total %v: the origin's think time is the first byte's wait", r.Error, r.HTTP.TTFB, r.Total)
	}
}

func TestHangingOriginIsBounded(t *testing.T) {
	tg := target(t, "http://"+silentListener(t))
	r, _ := Probe(context.Background(), tg, Options{MaxTime: 400 * time.Millisecond})
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
	r, _ := Probe(context.Background(), target(t, s.URL), Options{MaxTime: 500 * time.Millisecond})
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

func TestEmptyGzipBodyIsNotCorrupt(t *testing.T) {
	s := plainOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(http.StatusNoContent)
	}))
	r := probe(t, target(t, s.URL))
	if !r.OK() || r.HTTP.Gzip == nil || r.HTTP.Gzip.Error != "" {
		t.Fatalf("error %q gzip %+v", r.Error, r.HTTP.Gzip)
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
	r, _ := Probe(context.Background(), target(t, s.URL), Options{MaxTime: 5 * time.Second, MaxBody: 64 << 10})
	if !r.OK() || r.HTTP.BodyRead != 64<<10 || r.HTTP.BodyComplete || len(r.HTTP.BodySample) != DefaultBodySample {
		t.Fatalf("error %q http %+v", r.Error, r.HTTP)
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
	if missing.Cause != CauseUnixSocketMissing || missing.Phase != PhaseConnect {
		t.Errorf("missing socket: cause %q phase %q (%s)", missing.Cause, missing.Phase, missing.Error)
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

func TestProbeReturnsTheGoError(t *testing.T) {
	r, err := Probe(context.Background(), target(t, "http://"+refusedAddr(t)), Options{})
	if !errors.Is(err, syscall.ECONNREFUSED) || r.Error != err.Error() {
		t.Fatalf("err %v, result error %q", err, r.Error)
	}
	if _, err := Probe(context.Background(), target(t, plainOrigin(t, http.HandlerFunc(okHandler)).URL), Options{}); err != nil {
		t.Fatalf("a 200 is no error: %v", err)
	}
}
