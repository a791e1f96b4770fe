package probe

import (
	"crypto/x509/pkix"
	"path/filepath"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest/testpki"
)

// newCA is a private certificate authority made for one test.
func newCA(t testing.TB) *testpki.CA {
	t.Helper()
	return testpki.NewCA(t, testpki.CASpec{Subject: pkix.Name{CommonName: "tdtest private CA"}, NotAfter: time.Now().Add(24 * time.Hour)})
}

// caPoolFile writes the CA certificate where a caPool setting can point.
func caPoolFile(t testing.TB, ca *testpki.CA) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "origin-ca.pem")
	ca.WriteFile(t, path, 0o600)
	return path
}
