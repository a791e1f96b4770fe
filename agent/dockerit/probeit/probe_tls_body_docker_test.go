package probeit

import (
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest/testpki"
)

// caPath is where the rules' caPool points: inside cloudflared's container,
// and mounted at the same path into tunneldoctor's so it can check it.
const caPath = "/etc/cloudflared/private-ca.pem"

// cfOnlyCAPath is a caPool mounted into cloudflared alone: tunneldoctor
// cannot read it and must say so, not claim a 502.
const cfOnlyCAPath = "/etc/cloudflared/cf-only/ca.pem"

// TestCheckProbesTLSBodiesAndHangs covers the rest of the origin failures
// cloudflared turns into 502s and 524s, as real containers on an internal
// network probed from the stand-in cloudflared's namespace: certificates
// from a private CA (trusted through caPool, untrusted without it, for the
// wrong name, for an IP origin without IP SANs, expired), a body labelled
// gzip that is not, a Content-Length longer than the body, http2Origin
// against an HTTP/1.1-only origin, an origin that accepts and never
// answers, unix socket origins on a shared volume, and a caPool mounted
// into cloudflared but not into tunneldoctor.
func TestCheckProbesTLSBodiesAndHangs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds images and runs containers")
	}
	dockertest.RequireDocker(t)
	img := buildImages(t)
	network := dockertest.Network(t, "probetls", dockertest.NetworkOptions{Internal: true})

	now := time.Now()
	p := newPKI(t)
	p.Leaf(t, "caweb", testpki.LeafSpec{DNSNames: []string{"caweb"}})
	p.Leaf(t, "wrongsan", testpki.LeafSpec{DNSNames: []string{"app.internal.lan"}})
	p.Leaf(t, "ipnosan", testpki.LeafSpec{DNSNames: []string{"ipnosan.internal"}})
	p.Leaf(t, "expired", testpki.LeafSpec{DNSNames: []string{"expired"}, NotBefore: now.Add(-60 * 24 * time.Hour), NotAfter: now.Add(-3 * 24 * time.Hour)})
	p.Leaf(t, "h1only", testpki.LeafSpec{DNSNames: []string{"h1only"}})
	p.Leaf(t, "aiaweb", testpki.LeafSpec{DNSNames: []string{"aiaweb"}, IssuerURLs: []string{"http://ca.example.net/intermediate.der"}})
	// The unix socket directory is shared by the app, cloudflared and
	// tunneldoctor, as a compose volume would be.
	sockDir := t.TempDir()
	if err := os.Chmod(sockDir, 0o777); err != nil {
		t.Fatal(err)
	}

	origin := func(alias string, volumes []string, args ...string) dockertest.Container {
		return dockertest.Run(t, dockertest.Spec{Name: alias, Image: img.origin, Network: network, Aliases: []string{alias},
			Hostname: alias, Volumes: volumes, Args: args})
	}
	certs := []string{p.Path + ":/certs:ro"}
	tlsOrigin := func(name string, extra ...string) dockertest.Container {
		return origin(name, certs, append([]string{"--listen", ":8443", "--cert", "/certs/" + name + ".pem", "--key", "/certs/" + name + "-key.pem"}, extra...)...)
	}
	tlsOrigin("caweb")
	tlsOrigin("wrongsan")
	ipOrigin := tlsOrigin("ipnosan")
	tlsOrigin("expired")
	tlsOrigin("h1only", "--h1-only")
	tlsOrigin("aiaweb")
	origin("gzipbad", nil, "--listen", ":8080", "--gzip-broken")
	origin("lengthlie", nil, "--listen", ":8080", "--content-length-lie", "1000")
	origin("hang", nil, "--listen", ":8080", "--hang")
	origin("trickle", nil, "--listen", ":8080", "--trickle", "500ms")
	origin("sockapp", []string{sockDir + ":/run/app"}, "--listen", "unix:/run/app/app.sock")
	ip := dockertest.Docker(t, "inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", ipOrigin.ID)
	if net.ParseIP(ip) == nil {
		t.Fatalf("ipnosan has no IP address on %s: %q", network, ip)
	}
	waitForSocket(t, sockDir+"/app.sock")

	ca := map[string]any{"caPool": caPath}
	with := func(kv ...any) map[string]any {
		m := map[string]any{"caPool": caPath}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	// want is a rule's protocol finding; text must appear in its message or
	// fix, evidence values must contain the given strings, and absent must
	// appear in neither message nor fix.
	type want struct {
		code, severity string
		text           []string
		evidence       map[string]string
		absent         []string
	}
	rules := []struct {
		rule ingressRule
		want *want // nil: healthy, no protocol finding at all
	}{
		{ingressRule{"ca.example.com", "https://caweb:8443", ca}, nil},
		{ingressRule{"noca.example.com", "https://caweb:8443", nil}, &want{"PRB002", "error",
			[]string{"signed by an authority cloudflared does not trust", "set caPool: /etc/cloudflared/origin-ca.pem", caName,
				"last resort only: noTLSVerify: true"},
			map[string]string{"cause": "unknown_authority", "cert_issuer": caName, "cert_sans": "caweb"},
			// A private CA signs from its root: a fuller chain cannot help.
			[]string{"originServerName", "serve the full chain"}}},
		{ingressRule{"wrongsan.example.com", "https://wrongsan:8443", ca}, &want{"PRB002", "error",
			[]string{`not valid for "wrongsan"`, "originServerName: app.internal.lan", "that alone makes it verify", "caPool: " + caPath},
			map[string]string{"cause": "name_mismatch", "cert_sans": "app.internal.lan", "ca_pool": caPath + " (1 certificates)"},
			[]string{"set caPool"}}},
		{ingressRule{"ipnosan.example.com", "https://" + ip + ":8443", ca}, &want{"PRB002", "error",
			[]string{"no IP SAN for " + ip, "originServerName: ipnosan.internal", "that alone makes it verify"},
			map[string]string{"cause": "ip_without_ip_san", "cert_sans": "ipnosan.internal"},
			[]string{"set caPool"}}},
		{ingressRule{"expired.example.com", "https://expired:8443", ca}, &want{"PRB003", "error",
			[]string{"expired on " + now.Add(-3*24*time.Hour).UTC().Format("2006-01-02"), "cloudflared refuses it", "Renew the certificate for expired"},
			map[string]string{"cause": "cert_expired", "cert_subject": "CN=expired"}, nil}},
		{ingressRule{"expiredok.example.com", "https://expired:8443", with("noTLSVerify", true)}, &want{"PRB003", "warn",
			[]string{"noTLSVerify hides it", "Renew the certificate for expired"},
			map[string]string{"cert_valid": now.Add(-3 * 24 * time.Hour).UTC().Format("2006-01-02")}, nil}},
		{ingressRule{"gzip.example.com", "http://gzipbad:8080", nil}, &want{"PRB009", "error",
			[]string{"Content-Encoding: gzip but the body does not decompress", "exactly one layer compress"},
			map[string]string{"gzip_error": "gzip: invalid header"}, nil}},
		{ingressRule{"length.example.com", "http://lengthlie:8080", nil}, &want{"PRB009", "error",
			[]string{"declared Content-Length: 1015 but closed the connection after 15 bytes"},
			map[string]string{"content_length": "1015", "body_bytes": "15"}, nil}},
		{ingressRule{"h1.example.com", "https://h1only:8443", with("http2Origin", true)}, &want{"PRB010", "warn",
			[]string{`chose "http/1.1"`, "falls back to HTTP/1.1", "Enable HTTP/2", "remove http2Origin: true"},
			map[string]string{"tls": `ALPN "http/1.1"`, "status": "200 (HTTP/1.1)"}, nil}},
		{ingressRule{"h2.example.com", "https://caweb:8443", with("http2Origin", true)}, nil},
		{ingressRule{"hang.example.com", "http://hang:8080", nil}, &want{"PRB008", "warn",
			[]string{"accepted the request but sent nothing within tunneldoctor's 3s probe limit"},
			map[string]string{"cause": "timeout", "phase": "response", "stopped_by": "probe limit (3s)"}, nil}},
		{ingressRule{"hangtls.example.com", "https://hang:8080", with("tlsTimeout", 1)}, &want{"PRB007", "error",
			[]string{"did not finish a TLS handshake within tlsTimeout 1s", "tlsTimeout: 3s"},
			map[string]string{"cause": "tls_handshake_timeout", "phase": "tls"}, nil}},
		{ingressRule{"unix.example.com", "unix:/run/app/app.sock", nil}, nil},
		{ingressRule{"cfonly.example.com", "https://caweb:8443", map[string]any{"caPool": cfOnlyCAPath}}, &want{"PRB002", "info", // an unknown (tunneldoctor cannot read the pool), not an observed fault
			[]string{"tunneldoctor cannot read caPool " + cfOnlyCAPath, "whether cloudflared, which has the file, trusts it is unknown",
				"- " + p.CAFile() + ":" + cfOnlyCAPath + ":ro"},
			map[string]string{"ca_pool": "cannot read " + cfOnlyCAPath},
			[]string{"noTLSVerify"}}},
		// A certificate naming where its issuer is published (as public
		// CAs' intermediates do) but sent alone: serving the full chain
		// comes first.
		{ingressRule{"aia.example.com", "https://aiaweb:8443", nil}, &want{"PRB002", "error",
			[]string{"1. serve the full chain on the origin", "2. set caPool: /etc/cloudflared/origin-ca.pem", "3. last resort only"},
			map[string]string{"cause": "unknown_authority"}, nil}},
		{ingressRule{"trickle.example.com", "http://trickle:8080", nil}, &want{"PRB008", "warn",
			[]string{"answered 200 but its body was still trickling in after 3s"},
			map[string]string{"cause": "timeout", "phase": "body", "stopped_by": "probe limit (3s)", "first_byte": ""}, nil}},
		{ingressRule{"nosock.example.com", "unix:/run/app/gone.sock", nil}, &want{"PRB013", "error",
			[]string{"no unix socket at /run/app/gone.sock", "Mount the socket's directory into cloudflared"},
			map[string]string{"cause": "unix_socket_missing", "origin": "unix:/run/app/gone.sock"}, nil}},
	}
	var ingress []ingressRule
	for _, r := range rules {
		ingress = append(ingress, r.rule)
	}
	shared := []string{p.CAFile() + ":" + caPath + ":ro", sockDir + ":/run/app"}
	cf := startCloudflared(t, img, network, ingress, nil, append([]string{p.CAFile() + ":" + cfOnlyCAPath + ":ro"}, shared...))
	const probeTimeout = 3 * time.Second
	run := runCheck(t, img, cf, probeTimeout.String(), shared...)
	defer logReport(t, run)
	if run.report.ExitCode != 2 {
		t.Errorf("exit_code %d, want 2 (errors found)", run.report.ExitCode)
	}

	byRule := run.report.probeFindings()
	ruleOf := func(host string) int {
		for i, r := range rules {
			if r.rule.Hostname == host {
				return i
			}
		}
		t.Fatalf("no rule for %s", host)
		return -1
	}
	for i, r := range rules {
		got := byRule[i]
		if r.want == nil {
			if len(got) > 0 {
				t.Errorf("rule %d (%s) is healthy, got %+v", i, r.rule.Service, got)
			}
			continue
		}
		w := r.want
		f := findingOf(byRule, i, w.code)
		if f == nil {
			t.Errorf("rule %d (%s): want %s, got %+v", i, r.rule.Service, w.code, got)
			continue
		}
		if f.Severity != w.severity || f.Hostname != r.rule.Hostname {
			t.Errorf("rule %d %s: severity %q hostname %q, want %q %q", i, w.code, f.Severity, f.Hostname, w.severity, r.rule.Hostname)
		}
		text := f.Message + "\n" + f.Fix
		for _, s := range w.text {
			if !strings.Contains(text, s) {
				t.Errorf("rule %d %s lacks %q:\n%s", i, w.code, s, text)
			}
		}
		for _, s := range w.absent {
			if strings.Contains(text, s) {
				t.Errorf("rule %d %s must not say %q:\n%s", i, w.code, s, text)
			}
		}
		for k, s := range w.evidence {
			if !strings.Contains(f.Evidence[k], s) {
				t.Errorf("rule %d %s: evidence %s = %q, want it to contain %q", i, w.code, k, f.Evidence[k], s)
			}
		}
		if !strings.Contains(f.Evidence["probed_from"], "cloudflared's network namespace") {
			t.Errorf("rule %d: probed from %q, want cloudflared's namespace", i, f.Evidence["probed_from"])
		}
	}
	// An expired certificate is PRB003's alone: PRB002 would say the same
	// thing with a fix (caPool, originServerName) that cannot help.
	if f := findingOf(byRule, ruleOf("expired.example.com"), "PRB002"); f != nil {
		t.Errorf("expired certificate also reported as PRB002: %s", f.Message)
	}

	// The hanging origin holds the probe only as long as the probe limit:
	// its probe ends at the limit (a context deadline cannot fire early)
	// and well before the limit plus a wide margin, and the whole check
	// returns long before the 3-minute guard around it.
	if f := findingOf(byRule, ruleOf("hang.example.com"), "PRB008"); f != nil {
		took, err := time.ParseDuration(f.Evidence["probe_time"])
		if err != nil {
			t.Errorf("hang probe_time %q: %v", f.Evidence["probe_time"], err)
		} else if took < probeTimeout || took > probeTimeout+10*time.Second {
			t.Errorf("hang probe took %s, want the %s probe limit (+10s margin)", took, probeTimeout)
		}
	}
	if f := findingOf(byRule, ruleOf("trickle.example.com"), "PRB008"); f != nil {
		if took, err := time.ParseDuration(f.Evidence["probe_time"]); err != nil || took < probeTimeout || took > probeTimeout+10*time.Second {
			t.Errorf("trickling origin's probe took %q (%v), want the %s probe limit (+10s margin)", f.Evidence["probe_time"], err, probeTimeout)
		}
	}
	if f := findingOf(byRule, ruleOf("hangtls.example.com"), "PRB007"); f != nil {
		if took, err := time.ParseDuration(f.Evidence["probe_time"]); err != nil || took > probeTimeout {
			t.Errorf("hang behind TLS took %q (%v): tlsTimeout 1s must end it before the %s probe limit", f.Evidence["probe_time"], err, probeTimeout)
		}
	}
	if run.elapsed > 90*time.Second {
		t.Errorf("check took %s with a %s probe limit", run.elapsed, probeTimeout)
	}
}

// waitForSocket waits until the origin has created its unix socket in the
// shared directory (the container starts asynchronously).
func waitForSocket(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if fi, err := os.Stat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no unix socket at %s after 60s", path)
}
