package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest/testpki"
	"github.com/tunneldoctor/tunneldoctor/agent/status"
)

// testPKI is a CA and a certificate it issued, written as PEM files.
type testPKI struct {
	caFile, certFile, keyFile string
	ca                        *x509.CertPool
	cert                      tls.Certificate
}

func newTestPKI(t *testing.T, dir, name string) testPKI {
	t.Helper()
	now := time.Now()
	ca := testpki.NewCA(t, testpki.CASpec{Subject: pkix.Name{CommonName: "test CA"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)})
	// Issued for a name, not for 127.0.0.1: healthcheck pins it instead.
	leaf := ca.Issue(t, testpki.LeafSpec{DNSNames: []string{name}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), ClientAuth: true})
	p := testPKI{caFile: filepath.Join(dir, name+"-ca.pem"), certFile: filepath.Join(dir, name+".pem"), keyFile: filepath.Join(dir, name+"-key.pem"),
		ca: ca.Pool(), cert: leaf.TLS()}
	ca.WriteFile(t, p.caFile, 0o600)
	leaf.WriteFiles(t, p.certFile, p.keyFile, 0o600)
	return p
}

// serveWithWebConfig serves the status handler the way watch does: the
// web config's TLS listener and basic auth around status.Handler.
func serveWithWebConfig(t *testing.T, file string) string {
	t.Helper()
	cfg, err := status.LoadWebConfig(file)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if ln, err = cfg.Listener(ln); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- status.ServeListener(ctx, ln, cfg.Protect(status.Handler(status.NewStore(nil), 10)), zerolog.Nop())
	}()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

func TestStatusServerWebConfigTLSAndBasicAuth(t *testing.T) {
	dir := t.TempDir()
	pki := newTestPKI(t, dir, "tunneldoctor.internal")
	hash, err := bcrypt.GenerateFromPassword([]byte("probe-password"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	pwFile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwFile, []byte("probe-password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, clientAuth := range []string{"VerifyClientCertIfGiven", "RequireAndVerifyClientCert"} {
		t.Run(clientAuth, func(t *testing.T) {
			file := filepath.Join(dir, clientAuth+".yml")
			yml := "tls_server_config:\n  cert_file: " + pki.certFile + "\n  key_file: " + pki.keyFile +
				"\n  client_auth_type: " + clientAuth + "\n  client_ca_file: " + pki.caFile +
				"\nbasic_auth_users:\n  probe: " + string(hash) + "\n"
			if err := os.WriteFile(file, []byte(yml), 0o600); err != nil {
				t.Fatal(err)
			}
			addr := serveWithWebConfig(t, file)
			tlsCfg := &tls.Config{RootCAs: pki.ca, ServerName: "tunneldoctor.internal", Certificates: []tls.Certificate{pki.cert}, MinVersion: tls.VersionTLS12}
			client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsCfg}}
			get := func(c *http.Client, url, user, pass string) (int, error) {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				if user != "" {
					req.SetBasicAuth(user, pass)
				}
				res, err := c.Do(req)
				if err != nil {
					return 0, err
				}
				res.Body.Close()
				return res.StatusCode, nil
			}
			base := "https://" + addr
			for _, tc := range []struct {
				path, user, pass string
				want             int
			}{
				{"/metrics", "", "", http.StatusUnauthorized},
				{"/metrics", "probe", "wrong", http.StatusUnauthorized},
				{"/metrics", "nobody", "probe-password", http.StatusUnauthorized},
				{"/", "", "", http.StatusUnauthorized},
				{"/readyz", "", "", http.StatusUnauthorized},
				{"/metrics", "probe", "probe-password", http.StatusOK},
				{"/", "probe", "probe-password", http.StatusOK},
				{"/healthz", "", "", http.StatusOK}, // liveness needs no credentials, shows nothing
			} {
				if got, err := get(client, base+tc.path, tc.user, tc.pass); err != nil || got != tc.want {
					t.Errorf("GET %s as %q: %d %v, want %d", tc.path, tc.user, got, err, tc.want)
				}
			}
			// Plain HTTP to the TLS port gets Go's 400 answer, never a page.
			if code, _ := get(&http.Client{Timeout: 5 * time.Second}, "http://"+addr+"/healthz", "", ""); code == http.StatusOK {
				t.Error("plain HTTP was served")
			}
			untrusted := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}}
			if _, err := get(untrusted, base+"/healthz", "", ""); err == nil {
				t.Error("a client that does not trust the CA connected")
			}
			if clientAuth == "RequireAndVerifyClientCert" {
				noCert := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pki.ca, ServerName: "tunneldoctor.internal", MinVersion: tls.VersionTLS12}}}
				if _, err := get(noCert, base+"/healthz", "", ""); err == nil {
					t.Error("a client without a certificate connected")
				}
			}

			// The healthcheck subcommand reaches its own server through TLS
			// and basic auth: /healthz answers, /readyz answers 503 (no run
			// yet), not 401.
			hc := []string{"healthcheck", "--listen", addr, "--web.config.file", file, "--healthcheck-user", "probe", "--healthcheck-password-file", pwFile}
			if r := run(t, nil, append(hc, "--live")...); r.code != 0 || !strings.Contains(r.stdout, "healthy: https://") {
				t.Errorf("healthcheck --live: %s", r)
			}
			if r := run(t, nil, hc...); r.code != 1 || !strings.Contains(r.stdout, "503") {
				t.Errorf("healthcheck /readyz before any run: want 503 through auth, got %s", r)
			}
			if r := run(t, []string{"TUNNELDOCTOR_HEALTHCHECK_PASSWORD=wrong"}, "healthcheck", "--listen", addr, "--web.config.file", file, "--healthcheck-user", "probe"); r.code != 1 || !strings.Contains(r.stdout, "401") {
				t.Errorf("healthcheck with a wrong password: want 401, got %s", r)
			}
		})
	}
}

func TestWebConfigRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, yml := range map[string]string{
		"unknown key":   "tls_server_config:\n  cert_file: a\n  key_file: b\n  certfile: c\n",
		"no key":        "tls_server_config:\n  cert_file: a\n",
		"bad auth type": "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Sometimes\n",
		"plain text pw": "basic_auth_users:\n  admin: hunter2\n",
		"verify, no ca": "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n",
	} {
		file := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".yml")
		if err := os.WriteFile(file, []byte(yml), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := status.LoadWebConfig(file); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if r := run(t, nil, "watch", "--web.config.file", file, "--listen", "127.0.0.1:0"); r.code != exitUsage {
			t.Errorf("%s: watch accepted it: %s", name, r)
		}
	}
}
