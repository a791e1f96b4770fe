package status

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/bcrypt"
)

// WebConfig is the Prometheus ecosystem's web configuration file (the
// format of exporter-toolkit's --web.config.file), the documented subset:
// TLS with optional client certificates, and basic auth users with bcrypt
// password hashes. Unknown keys are an error, as they are there.
type WebConfig struct {
	TLSServerConfig *TLSServerConfig  `yaml:"tls_server_config"`
	BasicAuthUsers  map[string]string `yaml:"basic_auth_users"`
}

// TLSServerConfig is the tls_server_config section.
type TLSServerConfig struct {
	CertFile       string `yaml:"cert_file"`
	KeyFile        string `yaml:"key_file"`
	ClientAuthType string `yaml:"client_auth_type"`
	ClientCAFile   string `yaml:"client_ca_file"`
	MinVersion     string `yaml:"min_version"`
	MaxVersion     string `yaml:"max_version"`
}

// LoadWebConfig reads and checks a web configuration file.
func LoadWebConfig(path string) (*WebConfig, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("web config: %w", err)
	}
	var c WebConfig
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) { // empty: no TLS, no auth
		return nil, fmt.Errorf("web config %s: %w", path, err)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("web config %s: %w", path, err)
	}
	return &c, nil
}

func (c *WebConfig) validate() error {
	for user, hash := range c.BasicAuthUsers {
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return fmt.Errorf("basic_auth_users: %q: not a bcrypt hash: %w", user, err)
		}
	}
	t := c.TLSServerConfig
	if t == nil {
		return nil
	}
	if t.CertFile == "" || t.KeyFile == "" {
		return errors.New("tls_server_config: cert_file and key_file are both required")
	}
	if _, err := clientAuth(t.ClientAuthType); err != nil {
		return err
	}
	if t.ClientCAFile == "" && strings.Contains(t.ClientAuthType, "Verify") {
		return fmt.Errorf("tls_server_config: client_auth_type %s needs client_ca_file", t.ClientAuthType)
	}
	for _, v := range []string{t.MinVersion, t.MaxVersion} {
		if _, err := tlsVersion(v); err != nil {
			return err
		}
	}
	return nil
}

// TLS returns the server's TLS configuration, nil when the file has no
// tls_server_config (plain HTTP).
func (c *WebConfig) TLS() (*tls.Config, error) {
	if c == nil || c.TLSServerConfig == nil {
		return nil, nil
	}
	t := c.TLSServerConfig
	cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("tls_server_config: %w", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if v, _ := tlsVersion(t.MinVersion); v != 0 {
		cfg.MinVersion = v
	}
	if v, _ := tlsVersion(t.MaxVersion); v != 0 {
		cfg.MaxVersion = v
	}
	cfg.ClientAuth, _ = clientAuth(t.ClientAuthType)
	if t.ClientCAFile != "" {
		pem, err := os.ReadFile(t.ClientCAFile)
		if err != nil {
			return nil, fmt.Errorf("tls_server_config: client_ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls_server_config: client_ca_file %s holds no PEM certificate", t.ClientCAFile)
		}
		cfg.ClientCAs = pool
	}
	return cfg, nil
}

func clientAuth(s string) (tls.ClientAuthType, error) {
	switch s {
	case "", "NoClientCert":
		return tls.NoClientCert, nil
	case "RequestClientCert":
		return tls.RequestClientCert, nil
	case "RequireAnyClientCert", "RequireClientCert":
		return tls.RequireAnyClientCert, nil
	case "VerifyClientCertIfGiven":
		return tls.VerifyClientCertIfGiven, nil
	case "RequireAndVerifyClientCert":
		return tls.RequireAndVerifyClientCert, nil
	}
	return 0, fmt.Errorf("tls_server_config: client_auth_type %q: want NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert", s)
}

func tlsVersion(s string) (uint16, error) {
	switch s {
	case "":
		return 0, nil
	case "TLS10":
		return tls.VersionTLS10, nil
	case "TLS11":
		return tls.VersionTLS11, nil
	case "TLS12":
		return tls.VersionTLS12, nil
	case "TLS13":
		return tls.VersionTLS13, nil
	}
	return 0, fmt.Errorf("tls_server_config: TLS version %q: want TLS10, TLS11, TLS12 or TLS13", s)
}

// Protect wraps h with basic auth when the file lists users. /healthz
// stays open: it answers "ok" and nothing else, so a liveness probe needs
// no credentials. Everything else (the status page, /metrics, /readyz and
// its reasons) asks for them.
func (c *WebConfig) Protect(h http.Handler) http.Handler {
	if c == nil || len(c.BasicAuthUsers) == 0 {
		return h
	}
	users := make(map[string][]byte, len(c.BasicAuthUsers))
	names := make([]string, 0, len(c.BasicAuthUsers))
	for u, hash := range c.BasicAuthUsers {
		users[u] = []byte(hash)
		names = append(names, u)
	}
	sort.Strings(names)
	// An unknown user is checked against a real hash too, so the answer
	// takes as long as for a known one.
	decoy := users[names[0]]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			h.ServeHTTP(w, r)
			return
		}
		user, pass, ok := r.BasicAuth()
		hash, known := users[user]
		if !known {
			hash = decoy
		}
		if ok && bcrypt.CompareHashAndPassword(hash, []byte(pass)) == nil && known {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="tunneldoctor", charset="UTF-8"`)
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
	})
}

// ClientTLS is how tunneldoctor healthcheck reaches its own server under
// this configuration: nil for plain HTTP; otherwise it trusts exactly the
// server's certificate (cert_file, pinned: the name it was issued for need
// not be 127.0.0.1) and presents the same key pair when the server asks
// for a client certificate.
func (c *WebConfig) ClientTLS() (*tls.Config, error) {
	if c == nil || c.TLSServerConfig == nil {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(c.TLSServerConfig.CertFile, c.TLSServerConfig.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("tls_server_config: %w", err)
	}
	pinned := cert.Certificate[0]
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // replaced by the pin below
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 || !bytes.Equal(raw[0], pinned) {
				return errors.New("the server's certificate is not the one in the web config's cert_file")
			}
			return nil
		},
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert, nil },
	}, nil
}

// Listener serves TLS on ln when the file configures it.
func (c *WebConfig) Listener(ln net.Listener) (net.Listener, error) {
	cfg, err := c.TLS()
	if err != nil || cfg == nil {
		return ln, err
	}
	return tls.NewListener(ln, cfg), nil
}
