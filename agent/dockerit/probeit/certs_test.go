package probeit

import (
	"crypto/x509/pkix"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest/testpki"
)

// caName is the private CA's common name: PRB002's fix quotes it as the
// issuer to put in caPool.
const caName = "tdtest private CA"

// newPKI makes the private CA that signs origin certificates, written as
// PEM files into one directory that the test bind-mounts into containers.
func newPKI(t *testing.T) *testpki.Dir {
	t.Helper()
	return testpki.NewDir(t, testpki.CASpec{
		Subject:   pkix.Name{CommonName: caName, Organization: []string{"tunneldoctor tests"}},
		NotBefore: time.Now().Add(-24 * time.Hour),
		NotAfter:  time.Now().Add(365 * 24 * time.Hour),
	})
}
