package dockerit

import (
	"crypto/x509/pkix"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest/testpki"
)

// newTestPKI is a private CA and a leaf for web.internal, written as ca.pem,
// web.pem and web-key.pem in a directory containers can read.
func newTestPKI(t *testing.T) *testpki.Dir {
	t.Helper()
	now := time.Now()
	p := testpki.NewDir(t, testpki.CASpec{
		Subject:   pkix.Name{CommonName: "tunneldoctor test CA"},
		NotBefore: now.Add(-time.Hour),
		NotAfter:  now.Add(2 * 365 * 24 * time.Hour),
	})
	p.Leaf(t, "web", testpki.LeafSpec{DNSNames: []string{"web.internal"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(365 * 24 * time.Hour)})
	return p
}
