package dockerapi

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/docker/go-connections/sockets"
	"github.com/docker/go-connections/tlsconfig"
	"github.com/moby/moby/client"
)

// baseTransport builds the HTTP transport the moby client would build for
// host ("" means DOCKER_HOST, else the default socket), with the TLS
// settings of DOCKER_CERT_PATH and DOCKER_TLS_VERIFY, so the limit
// transport can wrap it (the moby client configures its own transport only
// while it is a bare *http.Transport). scheme is "https" when TLS is on.
func baseTransport(host string) (_ *http.Transport, scheme string, _ error) {
	if host == "" {
		host = os.Getenv(client.EnvOverrideHost)
	}
	if host == "" {
		host = client.DefaultDockerHost
	}
	u, err := client.ParseHostURL(host)
	if err != nil {
		return nil, "", err
	}
	tr := &http.Transport{MaxIdleConns: 6, IdleConnTimeout: 30 * time.Second}
	if certs := os.Getenv(client.EnvOverrideCertPath); certs != "" {
		cfg, err := tlsconfig.Client(tlsconfig.Options{
			CAFile:             filepath.Join(certs, "ca.pem"),
			CertFile:           filepath.Join(certs, "cert.pem"),
			KeyFile:            filepath.Join(certs, "key.pem"),
			InsecureSkipVerify: os.Getenv(client.EnvTLSVerify) == "",
			MinVersion:         tls.VersionTLS12,
		})
		if err != nil {
			return nil, "", fmt.Errorf("configure TLS from %s=%s: %w", client.EnvOverrideCertPath, certs, err)
		}
		tr.TLSClientConfig, scheme = cfg, "https"
	}
	if err := sockets.ConfigureTransport(tr, u.Scheme, u.Host); err != nil {
		return nil, "", err
	}
	return tr, scheme, nil
}
