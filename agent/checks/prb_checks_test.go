package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

var taken = time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)

// snap builds a snapshot whose probes ran from cloudflared's namespace.
func snap(results ...probe.Result) *agent.Snapshot {
	return &agent.Snapshot{Taken: taken, Probes: agent.ProbeFacts{Results: results, Vantage: agent.VantageCloudflared}}
}

func httpTarget(service string) probe.Target {
	t := probe.Target{Rule: 0, Hostname: "app.example.com", Service: service, Kind: probe.KindHTTP, Network: "tcp",
		ConnectTimeout: 30 * time.Second, TLSTimeout: 10 * time.Second}
	rest := service[strings.Index(service, "://")+3:]
	t.Address, t.Host = rest, rest[:strings.LastIndex(rest, ":")]
	t.TLS = strings.HasPrefix(service, "https") || strings.HasPrefix(service, "wss")
	return t
}

func answered(t probe.Target, status int, headers map[string]string) probe.Result {
	return probe.Result{Target: t, Total: 5 * time.Millisecond,
		Connect: &probe.ConnectPhase{Address: t.Address, Duration: time.Millisecond},
		HTTP:    &probe.HTTPPhase{Proto: "HTTP/1.1", Status: status, Headers: headers, TTFB: 2 * time.Millisecond, BodyComplete: true, ContentLength: -1}}
}

func failed(t probe.Target, phase probe.Phase, cause probe.Cause, msg string) probe.Result {
	return probe.Result{Target: t, Total: time.Millisecond, Phase: phase, Cause: cause, Error: msg, Limit: 20 * time.Second}
}

func cert(dns []string, notBefore, notAfter time.Time, self bool) probe.Cert {
	return probe.Cert{Subject: "CN=" + dns[0], Issuer: "CN=tdtest CA", DNSNames: dns, NotBefore: notBefore, NotAfter: notAfter, SelfSigned: self}
}

// withIssuerURL gives a certificate the AIA address of its issuer, as a
// public CA's intermediate sets it.
func withIssuerURL(c probe.Cert) probe.Cert {
	c.IssuerURLs = []string{"http://ca.example.net/intermediate.der"}
	return c
}

func withCAPool(t probe.Target) probe.Target {
	t.CAPool = "/etc/cloudflared/ca.pem"
	return t
}

func withTLS(r probe.Result, tp *probe.TLSPhase) probe.Result {
	r.TLS = tp
	return r
}

var validCert = cert([]string{"web.internal"}, taken.Add(-24*time.Hour), taken.Add(90*24*time.Hour), false)

type want struct {
	code     string
	severity agent.Severity
	inMsg    []string
	inFix    []string
	evidence []string
}

func TestProtocolChecks(t *testing.T) {
	https := httpTarget("https://web:8443")
	noVerify := https
	noVerify.NoTLSVerify = true
	h2 := https
	h2.HTTP2Origin = true
	slow := answered(httpTarget("http://web:8080"), 200, nil)
	slow.HTTP.TTFB = 105 * time.Second
	gz := answered(httpTarget("http://web:8080"), 200, map[string]string{"Content-Encoding": "gzip"})
	gz.HTTP.Gzip = &probe.GzipResult{Error: "gzip: invalid header"}
	short := answered(httpTarget("http://web:8080"), 200, nil)
	short.HTTP.LengthMismatch, short.HTTP.ContentLength, short.HTTP.BodyRead = true, 100, 5
	cut := failed(httpTarget("http://web:8080"), probe.PhaseConnect, probe.CauseConnectTimeout, "dial tcp 10.0.0.5:8080: i/o timeout")
	cut.CutShort = true
	hang := failed(httpTarget("http://web:8080"), probe.PhaseResponse, probe.CauseTimeout, "context deadline exceeded")
	hang.CutShort = true

	cases := []struct {
		name string
		res  probe.Result
		want want
	}{
		{"https to plain port", failed(https, probe.PhaseTLS, probe.CauseTLSToPlain, "tls: first record does not look like a TLS handshake"),
			want{"PRB001", agent.Error, []string{"https://web:8443", "plain HTTP"}, []string{"service: http://web:8443"}, []string{"error"}}},
		{"http to TLS port", func() probe.Result {
			r := answered(httpTarget("http://web:8443"), 400, nil)
			r.HTTP.PlainToTLS, r.HTTP.BodySample = "Client sent an HTTP request to an HTTPS server", "Client sent an HTTP request to an HTTPS server.\n"
			return r
		}(), want{"PRB001", agent.Error, []string{"speaks TLS", "Client sent an HTTP request"}, []string{"service: https://web:8443"}, []string{"body_sample"}}},
		{"self-signed", withTLS(failed(https, probe.PhaseTLS, probe.CauseUnknownAuthority, "tls: failed to verify certificate: x509: certificate signed by unknown authority"),
			&probe.TLSPhase{ServerName: "web", Chain: []probe.Cert{cert([]string{"web"}, taken.Add(-time.Hour), taken.Add(900*time.Hour), true)},
				Verify:       &probe.Verification{Name: "web", Cause: probe.CauseUnknownAuthority, Error: "x509: certificate signed by unknown authority"},
				ChainTrusted: &probe.Verification{Cause: probe.CauseUnknownAuthority}}),
			want{"PRB002", agent.Error, []string{"self-signed"}, []string{"1. set caPool: /etc/cloudflared/origin-ca.pem", "the self-signed certificate itself", "2. last resort only: noTLSVerify: true"}, []string{"cert_subject", "verify_error"}}},
		{"leaf without its intermediate", withTLS(failed(https, probe.PhaseTLS, probe.CauseUnknownAuthority, "x509: certificate signed by unknown authority"),
			&probe.TLSPhase{ServerName: "web", Chain: []probe.Cert{withIssuerURL(cert([]string{"web"}, taken.Add(-time.Hour), taken.Add(900*time.Hour), false))},
				Verify:       &probe.Verification{Name: "web", Cause: probe.CauseUnknownAuthority},
				ChainTrusted: &probe.Verification{Cause: probe.CauseUnknownAuthority}}),
			want{"PRB002", agent.Error, []string{"signed by an authority cloudflared does not trust"}, []string{"1. serve the full chain", "CN=tdtest CA", "2. set caPool", "3. last resort"}, nil}},
		{"leaf from a private root CA", withTLS(failed(https, probe.PhaseTLS, probe.CauseUnknownAuthority, "x509: certificate signed by unknown authority"),
			&probe.TLSPhase{ServerName: "web", Chain: []probe.Cert{cert([]string{"web"}, taken.Add(-time.Hour), taken.Add(900*time.Hour), false)},
				Verify:       &probe.Verification{Name: "web", Cause: probe.CauseUnknownAuthority},
				ChainTrusted: &probe.Verification{Cause: probe.CauseUnknownAuthority}}),
			want{"PRB002", agent.Error, []string{"signed by an authority cloudflared does not trust"}, []string{"1. set caPool", "the CA certificate that issued it (CN=tdtest CA)", "2. last resort"}, nil}},
		{"wrong name", withTLS(failed(https, probe.PhaseTLS, probe.CauseNameMismatch, "x509: certificate is valid for web.internal, not web"),
			&probe.TLSPhase{ServerName: "web", Chain: []probe.Cert{validCert},
				Verify:        &probe.Verification{Name: "web", Cause: probe.CauseNameMismatch},
				VerifyWithSAN: &probe.Verification{Name: "web.internal", OK: true},
				ChainTrusted:  &probe.Verification{OK: true}}),
			want{"PRB002", agent.Error, []string{`not valid for "web"`}, []string{"1. set originServerName: web.internal", "that alone makes it verify", "2. last resort", "originServerName: web.internal"}, []string{"cert_sans"}}},
		{"wrong name, chain trusted through caPool", withTLS(failed(withCAPool(https), probe.PhaseTLS, probe.CauseNameMismatch, "x509: certificate is valid for web.internal, not web"),
			&probe.TLSPhase{ServerName: "web", Chain: []probe.Cert{validCert}, CAPool: &probe.CAPool{Path: "/etc/cloudflared/ca.pem", Certs: 1},
				Verify:        &probe.Verification{Name: "web", Cause: probe.CauseNameMismatch},
				VerifyWithSAN: &probe.Verification{Name: "web.internal", OK: true},
				ChainTrusted:  &probe.Verification{OK: true}}),
			want{"PRB002", agent.Error, []string{`not valid for "web"`}, []string{"1. set originServerName: web.internal", "2. last resort",
				"      originServerName: web.internal\n      caPool: /etc/cloudflared/ca.pem"}, []string{"ca_pool"}}},
		{"expired and enforced", withTLS(failed(https, probe.PhaseTLS, probe.CauseCertExpired, "x509: certificate has expired"),
			&probe.TLSPhase{Chain: []probe.Cert{cert([]string{"web"}, taken.Add(-90*24*time.Hour), taken.Add(-3*24*time.Hour), false)},
				Verify: &probe.Verification{Name: "web", Cause: probe.CauseCertExpired}}),
			want{"PRB003", agent.Error, []string{"expired on 2026-11-19 (3 days ago)", "502"}, []string{"Renew the certificate for web"}, []string{"cert_valid"}}},
		{"expired under noTLSVerify", withTLS(answered(noVerify, 200, nil),
			&probe.TLSPhase{Done: true, Chain: []probe.Cert{cert([]string{"web"}, taken.Add(-90*24*time.Hour), taken.Add(-24*time.Hour), false)},
				Verify: &probe.Verification{Name: "web", Cause: probe.CauseCertExpired}}),
			want{"PRB003", agent.Warn, []string{"expired", "noTLSVerify hides it"}, []string{"Renew"}, nil}},
		{"expiring soon", withTLS(answered(https, 200, nil),
			&probe.TLSPhase{Done: true, Chain: []probe.Cert{cert([]string{"web"}, taken.Add(-80*24*time.Hour), taken.Add(10*24*time.Hour), false)},
				Verify: &probe.Verification{Name: "web", OK: true}}),
			want{"PRB003", agent.Warn, []string{"in 10 days"}, []string{"before 2026-12-02"}, nil}},
		{"noTLSVerify not needed", withTLS(answered(noVerify, 200, nil),
			&probe.TLSPhase{Done: true, Chain: []probe.Cert{validCert}, Verify: &probe.Verification{Name: "web", Cause: probe.CauseNameMismatch},
				VerifyWithSAN: &probe.Verification{Name: "web.internal", OK: true}}),
			want{"PRB004", agent.Warn, []string{"originServerName is enough"}, []string{"originServerName: web.internal"}, nil}},
		{"noTLSVerify not needed, verifies through caPool", withTLS(answered(withCAPool(noVerify), 200, nil),
			&probe.TLSPhase{Done: true, Chain: []probe.Cert{validCert}, Verify: &probe.Verification{Name: "web", Cause: probe.CauseNameMismatch},
				VerifyWithSAN: &probe.Verification{Name: "web.internal", OK: true}}),
			want{"PRB004", agent.Warn, []string{"originServerName is enough"}, []string{"      originServerName: web.internal\n      caPool: /etc/cloudflared/ca.pem"}, nil}},
		{"origin's own 502", func() probe.Result {
			r := answered(httpTarget("http://web:8080"), 502, map[string]string{"Server": "nginx/1.25.3"})
			r.HTTP.BodySample = "<h1>502 Bad Gateway</h1>"
			return r
		}(), want{"PRB005", agent.Error, []string{"Server: nginx/1.25.3", "answered 502 itself", "not from cloudflared or Cloudflare"}, []string{"logs"}, []string{"server", "body_sample"}}},
		{"connect timeout", failed(httpTarget("http://web:8080"), probe.PhaseConnect, probe.CauseConnectTimeout, "dial tcp 10.0.0.5:8080: i/o timeout"),
			want{"PRB006", agent.Error, []string{"connectTimeout 30s", "502"}, []string{"connectTimeout: 1m0s"}, []string{"error"}}},
		{"connect cut short by the probe limit", cut,
			want{"PRB006", agent.Warn, []string{"probe limit", "waits up to connectTimeout 30s"}, nil, []string{"stopped_by"}}},
		{"tls handshake timeout", failed(https, probe.PhaseTLS, probe.CauseTLSHandshakeTimeo, "net/http: TLS handshake timeout"),
			want{"PRB007", agent.Error, []string{"tlsTimeout 10s"}, []string{"tlsTimeout: 30s"}, nil}},
		{"slow first byte", slow,
			want{"PRB008", agent.Warn, []string{"1m45s", "80% of Cloudflare's 2m5s"}, []string{"background"}, []string{"proxy_read_timeout"}}},
		{"no answer within the probe limit", hang,
			want{"PRB008", agent.Warn, []string{"sent nothing within tunneldoctor's 20s probe limit", "524"}, nil, nil}},
		{"broken gzip", gz,
			want{"PRB009", agent.Error, []string{"does not decompress", "gzip: invalid header"}, []string{"one layer"}, []string{"gzip_error"}}},
		{"short body", short,
			want{"PRB009", agent.Error, []string{"Content-Length: 100", "after 5 bytes"}, nil, []string{"content_length"}}},
		{"http2Origin without h2", withTLS(func() probe.Result { r := answered(h2, 200, nil); return r }(),
			&probe.TLSPhase{Done: true, ALPN: "http/1.1", Verify: &probe.Verification{OK: true}}),
			want{"PRB010", agent.Warn, []string{`chose "http/1.1"`, "HTTP/1.1"}, []string{"http2 on"}, nil}},
		{"redirect loop", answered(httpTarget("http://web:80"), 301, map[string]string{"Location": "https://app.example.com/"}),
			want{"PRB011", agent.Error, []string{"Location: https://app.example.com/", "ERR_TOO_MANY_REDIRECTS"}, []string{"X-Forwarded-Proto", "service: https://web:443"}, []string{"location"}}},
		{"refused", failed(httpTarget("http://web:8080"), probe.PhaseConnect, probe.CauseRefused, "dial tcp 172.18.0.3:8080: connect: connection refused"),
			want{"PRB012", agent.Error, []string{"connection refused on web:8080", "port 8080"}, []string{"0.0.0.0:8080"}, []string{"error"}}},
		{"no such host", failed(httpTarget("http://wbe:8080"), probe.PhaseDNS, probe.CauseDNSNotFound, "dial tcp: lookup wbe on 127.0.0.11:53: no such host"),
			want{"PRB013", agent.Error, []string{`"wbe" does not resolve`}, []string{"network"}, nil}},
		{"missing unix socket", failed(probe.Target{Hostname: "app.example.com", Service: "unix:/run/app.sock", Kind: probe.KindHTTP, Network: "unix", Address: "/run/app.sock"},
			probe.PhaseConnect, probe.CauseUnixSocketMissing, "dial unix /run/app.sock: connect: no such file or directory"),
			want{"PRB013", agent.Error, []string{"no unix socket at /run/app.sock"}, []string{"Mount"}, []string{"origin"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := agent.Run(snap(tc.res), protocolChecks())
			var matched []agent.Finding
			for _, f := range got {
				if f.Code == tc.want.code {
					matched = append(matched, f)
				} else if f.Severity >= agent.Warn {
					t.Errorf("another check also fired: %s %s: %s", f.Code, f.Severity, f.Message)
				}
			}
			if len(matched) != 1 {
				t.Fatalf("want one %s finding, got %d in %+v", tc.want.code, len(matched), got)
			}
			f := matched[0]
			if f.Severity != tc.want.severity || f.Rule != tc.res.Target.Rule || f.Hostname != "app.example.com" || f.Service != tc.res.Target.Service {
				t.Errorf("finding %s severity %s rule %d host %q service %q", f.Code, f.Severity, f.Rule, f.Hostname, f.Service)
			}
			for _, s := range tc.want.inMsg {
				if !strings.Contains(f.Message, s) {
					t.Errorf("message lacks %q:\n%s", s, f.Message)
				}
			}
			for _, s := range tc.want.inFix {
				if !strings.Contains(f.Fix, s) {
					t.Errorf("fix lacks %q:\n%s", s, f.Fix)
				}
			}
			for _, k := range append(tc.want.evidence, "probed_from", "origin") {
				if f.Evidence[k] == "" {
					t.Errorf("evidence lacks %q: %v", k, f.Evidence)
				}
			}
		})
	}
}

func TestProtocolChecksQuietOnHealthyOrigins(t *testing.T) {
	https := httpTarget("https://web:8443")
	ok := withTLS(answered(https, 200, map[string]string{"Server": "caddy"}),
		&probe.TLSPhase{Done: true, ALPN: "h2", Chain: []probe.Cert{validCert}, Verify: &probe.Verification{Name: "web.internal", OK: true}, ChainTrusted: &probe.Verification{OK: true}})
	plain := answered(httpTarget("http://web:8080"), 200, nil)
	other := answered(httpTarget("http://web:8080"), 301, map[string]string{"Location": "https://other.example.com/"})
	tcp := probe.Result{Target: probe.Target{Hostname: "ssh.example.com", Service: "ssh://box:22", Kind: probe.KindTCP, Network: "tcp", Address: "box:22"},
		Connect: &probe.ConnectPhase{Address: "box:22"}}
	for _, f := range agent.Run(snap(ok, plain, other, tcp), protocolChecks()) {
		if f.Severity != agent.Pass {
			t.Errorf("%s %s: %s", f.Code, f.Severity, f.Message)
		}
	}
}

func TestProtocolChecksSkipWithoutProbes(t *testing.T) {
	s := snap()
	s.Probes.Missing = "origin probes disabled by --no-probe"
	for _, f := range agent.Run(s, protocolChecks()) {
		if f.Severity != agent.Skipped || !strings.Contains(f.Message, "--no-probe") {
			t.Errorf("%s %s: %s", f.Code, f.Severity, f.Message)
		}
	}
}

func TestProbeFindingsSayWhereTheyProbedFrom(t *testing.T) {
	r := failed(httpTarget("http://localhost:8080"), probe.PhaseConnect, probe.CauseRefused, "connect: connection refused")
	s := snap(r)
	s.Probes.Vantage = agent.VantageOwn
	got := runRefused(refused(), s)
	// Our loopback is not cloudflared's: an unknown (info), with how to run.
	if len(got) != 1 || got[0].Severity != agent.Info || !strings.Contains(got[0].Fix, "network_mode") ||
		!strings.Contains(got[0].Evidence["probed_from"], "not cloudflared's") {
		t.Fatalf("%+v", got)
	}
}

func TestSlowFirstByteLeavesZoneValuesToCF050(t *testing.T) {
	r := answered(httpTarget("http://web:8080"), 200, nil)
	r.HTTP.TTFB = 25 * time.Second
	if got := runSlowFirstByte(slowFirstByte(), snap(r)); len(got) != 0 {
		t.Fatalf("25s is fine under the default 125s: %+v", got)
	}
	r.HTTP.TTFB = 90 * time.Second
	s := snap(r)
	s.Edge.API = &cfapi.Facts{Zones: []cfapi.Zone{{Name: "example.com",
		Settings: cfapi.ZoneSettings{ProxyReadTimeout: cfapi.Setting{Value: "300", Read: true}}}}}
	if got := runSlowFirstByte(slowFirstByte(), s); len(got) != 0 {
		t.Fatalf("a zone with its own 300s timeout is CF050's to judge: %+v", got)
	}
}

func TestSwapScheme(t *testing.T) {
	for in, want := range map[string]string{
		"http://web:8080": "https://web:8080", "ws://web": "wss://web", "unix:/run/a.sock": "unix+tls:/run/a.sock",
		"https://web:8443": "https://web:8443",
	} {
		if got := swapScheme(in, true); got != want {
			t.Errorf("swapScheme(%q, true) = %q, want %q", in, got, want)
		}
	}
	if got := swapScheme("https://web:8443", false); got != "http://web:8443" {
		t.Errorf("to plain: %q", got)
	}
}

// withDocker adds a topology where cloudflared and a "web" container share
// the network "apps"; web exposes ports.
func withDocker(s *agent.Snapshot, exposed ...string) *agent.Snapshot {
	apps := &dockernet.Network{ID: "n-apps", Name: "apps", Driver: "bridge"}
	mk := func(name string) *dockernet.Container {
		return &dockernet.Container{ID: name + "-id", Name: name, State: "running", Inspected: true, NetworkMode: "apps",
			Endpoints: []dockernet.Endpoint{{NetworkID: apps.ID, NetworkName: apps.Name, Aliases: []string{name}}}}
	}
	cf, web := mk("cloudflared"), mk("web")
	web.ExposedPorts = exposed
	s.Docker.Topology = dockernet.NewTopology([]*dockernet.Container{cf, web}, []*dockernet.Network{apps})
	s.Docker.Cloudflared = cf
	return s
}

func TestRefusedNamesTheExposedPort(t *testing.T) {
	r := failed(httpTarget("http://web:9090"), probe.PhaseConnect, probe.CauseRefused, "dial tcp 172.18.0.3:9090: connect: connection refused")
	got := runRefused(refused(), withDocker(snap(r), "8080/tcp"))
	if len(got) != 1 || !strings.Contains(got[0].Message, "container web exposes 8080/tcp") ||
		!strings.Contains(got[0].Fix, "service: http://web:8080") || got[0].Evidence["origin_container"] != "web" {
		t.Fatalf("%+v", got)
	}
	// The rule's port is exposed: the app is not listening there.
	got = runRefused(refused(), withDocker(snap(r), "9090/tcp"))
	if len(got) != 1 || !strings.Contains(got[0].Message, "listens on 127.0.0.1 inside its container only") ||
		!strings.Contains(got[0].Fix, "0.0.0.0:9090") || strings.Contains(got[0].Fix, "service: http://web:") {
		t.Fatalf("%+v", got)
	}
}

func TestOrigin5xxNamesTheContainer(t *testing.T) {
	r := answered(httpTarget("http://web:8080"), 504, map[string]string{"Server": "nginx"})
	got := runOrigin5xx(origin5xx(), withDocker(snap(r)))
	if len(got) != 1 || !strings.Contains(got[0].Fix, "docker logs --tail 50 web") {
		t.Fatalf("%+v", got)
	}
}

func TestOriginProxyFromCloudflaredEnv(t *testing.T) {
	r := answered(httpTarget("http://web:8080"), 200, nil)
	s := withDocker(snap(r))
	s.Docker.Cloudflared.Env = []string{"TUNNEL_TOKEN=[REDACTED]", "HTTP_PROXY=[REDACTED]"}
	got := runOriginProxy(originProxy(), s)
	if len(got) != 1 || got[0].Severity != agent.Warn || !strings.Contains(got[0].Message, "HTTP_PROXY without NO_PROXY") ||
		!strings.Contains(got[0].Fix, "NO_PROXY=web") || strings.Contains(got[0].Message+got[0].Fix, "redacted") {
		t.Fatalf("%+v", got)
	}
	s.Docker.Cloudflared.Env = append(s.Docker.Cloudflared.Env, "NO_PROXY=[REDACTED]")
	if got := runOriginProxy(originProxy(), s); len(got) != 1 || got[0].Severity != agent.Info {
		t.Fatalf("with NO_PROXY: %+v", got)
	}
	s.Docker.Cloudflared.Env = []string{"HTTPS_PROXY=[REDACTED]"} // only https origins are affected
	if got := runOriginProxy(originProxy(), s); len(got) != 0 {
		t.Fatalf("an http:// origin ignores HTTPS_PROXY: %+v", got)
	}
}

func TestObservedFailuresAreErrorsWhateverDockerAdds(t *testing.T) {
	// "wbe" is no container's name: NET003 carries the fix; what the probe
	// saw from cloudflared's namespace is a 502 all the same.
	r := failed(httpTarget("http://wbe:8080"), probe.PhaseDNS, probe.CauseDNSNotFound, "lookup wbe on 127.0.0.11:53: no such host")
	got := runUnreachable(unreachable(), withDocker(snap(r)))
	if len(got) != 1 || got[0].Severity != agent.Error || !strings.Contains(got[0].Message, "network findings") {
		t.Fatalf("%+v", got)
	}
	// localhost in cloudflared's own container: refused there is a 502.
	r = failed(httpTarget("http://localhost:8080"), probe.PhaseConnect, probe.CauseRefused, "connect: connection refused")
	got = runRefused(refused(), withDocker(snap(r)))
	if len(got) != 1 || got[0].Severity != agent.Error || !strings.Contains(got[0].Message, "localhost is cloudflared's own container") ||
		!strings.Contains(got[0].Message, "502") {
		t.Fatalf("%+v", got)
	}
	// Without Docker facts the probe is all there is: an error.
	if got := runUnreachable(unreachable(), snap(failed(httpTarget("http://wbe:8080"), probe.PhaseDNS, probe.CauseDNSNotFound, "no such host"))); len(got) != 1 || got[0].Severity != agent.Error {
		t.Fatalf("%+v", got)
	}
}

// A caPool tunneldoctor cannot open is in cloudflared's container (cloudflared
// refuses a rule whose caPool it cannot read): the unknown authority is then
// tunneldoctor's blind spot, an unknown (info) with the mount to add, not a 502.
func TestTLSVerifyCAPoolOnlyInCloudflared(t *testing.T) {
	const path = "/etc/cloudflared/certs/ca.pem"
	tg := withCAPool(httpTarget("https://web:8443"))
	tg.CAPool = path
	r := withTLS(failed(tg, probe.PhaseTLS, probe.CauseUnknownAuthority, "tls: failed to verify certificate: x509: certificate signed by unknown authority"),
		&probe.TLSPhase{ServerName: "web", Chain: []probe.Cert{cert([]string{"web"}, taken.Add(-time.Hour), taken.Add(900*time.Hour), false)},
			CAPool:       &probe.CAPool{Path: path, Unreadable: true, Error: "cannot read " + path + " from tunneldoctor"},
			Verify:       &probe.Verification{Name: "web", Cause: probe.CauseUnknownAuthority},
			ChainTrusted: &probe.Verification{Cause: probe.CauseUnknownAuthority}})
	s := snap(r)
	s.Docker.Cloudflared = &dockernet.Container{Name: "cloudflared",
		Mounts: []dockernet.Mount{{Type: "bind", Source: "/srv/tunnel/certs", Destination: "/etc/cloudflared/certs"}}}
	got := runTLSVerify(tlsVerify(), s)
	if len(got) != 1 || got[0].Severity != agent.Info || !strings.Contains(got[0].Message, "tunneldoctor cannot read caPool "+path) ||
		!strings.Contains(got[0].Fix, "- /srv/tunnel/certs:/etc/cloudflared/certs:ro") || strings.Contains(got[0].Fix, "noTLSVerify") {
		t.Fatalf("%+v", got)
	}
	// A named volume: borrow all of cloudflared's volumes.
	s.Docker.Cloudflared.Mounts[0].Type = "volume"
	if got := runTLSVerify(tlsVerify(), s); len(got) != 1 || !strings.Contains(got[0].Fix, "--volumes-from cloudflared:ro") {
		t.Fatalf("%+v", got)
	}
	// A readable pool that does not hold the issuer: cloudflared sees the
	// same file, so the 502 is real.
	r.TLS.CAPool = &probe.CAPool{Path: path, Certs: 1}
	if got := runTLSVerify(tlsVerify(), snap(r)); len(got) != 1 || got[0].Severity != agent.Error {
		t.Fatalf("%+v", got)
	}
}
