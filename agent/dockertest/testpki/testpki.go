// Package testpki makes certificates for tests: a private certificate
// authority, leaf certificates it (or the leaf itself) signs, and their PEM
// files. Keys are ECDSA P-256; nothing is shared between tests.
package testpki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// CASpec says what a CA claims. A zero NotBefore is an hour ago, a zero
// NotAfter a year from now.
type CASpec struct {
	Subject             pkix.Name
	NotBefore, NotAfter time.Time
}

// CA is a private certificate authority made for one test.
type CA struct {
	Cert   *x509.Certificate
	Key    *ecdsa.PrivateKey
	serial atomic.Int64 // the last serial number it gave
}

// NewCA makes a CA for spec; its serial number is 1, its leaves' 2, 3...
func NewCA(t testing.TB, spec CASpec) *CA {
	t.Helper()
	now := time.Now()
	if spec.NotBefore.IsZero() {
		spec.NotBefore = now.Add(-time.Hour)
	}
	if spec.NotAfter.IsZero() {
		spec.NotAfter = now.Add(365 * 24 * time.Hour)
	}
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               spec.Subject,
		NotBefore:             spec.NotBefore,
		NotAfter:              spec.NotAfter,
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	ca := &CA{Cert: cert, Key: key}
	ca.serial.Store(1)
	return ca
}

// Pool is a certificate pool that trusts the CA alone.
func (ca *CA) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	return pool
}

// PEM is the CA certificate, PEM-encoded.
func (ca *CA) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw})
}

// WriteFile writes the CA certificate as PEM to path.
func (ca *CA) WriteFile(t testing.TB, path string, perm os.FileMode) {
	t.Helper()
	writeFile(t, path, ca.PEM(), perm)
}

// LeafSpec says what a leaf certificate claims. The common name is the
// first DNS name ("tdtest origin" without one); a zero NotBefore is an hour
// ago, a zero NotAfter 90 days from now. The extended key usage is server
// authentication, and client authentication too with ClientAuth. IssuerURLs
// go into its AIA "CA Issuers", as a public CA's intermediate sets them.
type LeafSpec struct {
	DNSNames            []string
	IPs                 []net.IP
	NotBefore, NotAfter time.Time
	ClientAuth          bool
	IssuerURLs          []string
}

// Leaf is a certificate and its key.
type Leaf struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
}

// Issue signs a leaf for spec.
func (ca *CA) Issue(t testing.TB, spec LeafSpec) *Leaf {
	t.Helper()
	return issue(t, spec, big.NewInt(ca.serial.Add(1)), ca)
}

// SelfSigned makes a leaf for spec that signs itself.
func SelfSigned(t testing.TB, spec LeafSpec) *Leaf {
	t.Helper()
	return issue(t, spec, big.NewInt(time.Now().UnixNano()), nil)
}

func issue(t testing.TB, spec LeafSpec, serial *big.Int, ca *CA) *Leaf {
	t.Helper()
	now := time.Now()
	if spec.NotBefore.IsZero() {
		spec.NotBefore = now.Add(-time.Hour)
	}
	if spec.NotAfter.IsZero() {
		spec.NotAfter = now.Add(90 * 24 * time.Hour)
	}
	cn := "tdtest origin"
	if len(spec.DNSNames) > 0 {
		cn = spec.DNSNames[0]
	}
	usage := []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	if spec.ClientAuth {
		usage = append(usage, x509.ExtKeyUsageClientAuth)
	}
	key := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		DNSNames:              spec.DNSNames,
		IPAddresses:           spec.IPs,
		NotBefore:             spec.NotBefore,
		NotAfter:              spec.NotAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           usage,
		IssuingCertificateURL: spec.IssuerURLs,
	}
	parent, signer := tmpl, key
	if ca != nil {
		parent, signer = ca.Cert, ca.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &Leaf{Cert: cert, Key: key}
}

// TLS is the leaf as crypto/tls serves it (the leaf alone, no chain).
func (l *Leaf) TLS() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{l.Cert.Raw}, PrivateKey: l.Key, Leaf: l.Cert}
}

// WriteFiles writes the certificate and its key as PEM to certPath and
// keyPath.
func (l *Leaf) WriteFiles(t testing.TB, certPath, keyPath string, perm os.FileMode) {
	t.Helper()
	keyDER, err := x509.MarshalECPrivateKey(l.Key)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: l.Cert.Raw}), perm)
	writeFile(t, keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), perm)
}

// Dir is a CA whose files are written in one directory that containers can
// read whatever their user: the directory is 0755 and the files 0644. A
// container that mounts Path at /certs finds the CA at /certs/ca.pem and
// the leaf called name at /certs/<name>.pem and /certs/<name>-key.pem.
type Dir struct {
	*CA
	Path string
}

// NewDir makes a CA for spec in a new temporary directory and writes it to
// <dir>/ca.pem.
func NewDir(t testing.TB, spec CASpec) *Dir {
	t.Helper()
	dir := t.TempDir()
	// Readable by any container user, whatever the umask.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	d := &Dir{CA: NewCA(t, spec), Path: dir}
	d.WriteFile(t, d.CAFile(), 0o644)
	return d
}

// CAFile is the CA certificate's path on this machine.
func (d *Dir) CAFile() string { return filepath.Join(d.Path, "ca.pem") }

// Leaf issues a leaf for spec and writes it as <name>.pem and
// <name>-key.pem.
func (d *Dir) Leaf(t testing.TB, name string, spec LeafSpec) *Leaf {
	t.Helper()
	l := d.Issue(t, spec)
	l.WriteFiles(t, filepath.Join(d.Path, name+".pem"), filepath.Join(d.Path, name+"-key.pem"), 0o644)
	return l
}

// newKey makes an ECDSA P-256 key.
func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func writeFile(t testing.TB, path string, data []byte, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, perm); err != nil {
		t.Fatal(err)
	}
}
