package probe

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// maxCAPoolBytes bounds the caPool file read: a CA bundle is kilobytes.
const maxCAPoolBytes = 4 << 20

func describeChain(certs []*x509.Certificate) []Cert {
	out := make([]Cert, 0, len(certs))
	for _, c := range certs {
		ips := make([]string, 0, len(c.IPAddresses))
		for _, ip := range c.IPAddresses {
			ips = append(ips, ip.String())
		}
		out = append(out, Cert{
			Subject:    c.Subject.String(),
			Issuer:     c.Issuer.String(),
			DNSNames:   c.DNSNames,
			IPs:        ips,
			NotBefore:  c.NotBefore,
			NotAfter:   c.NotAfter,
			SelfSigned: isSelfSigned(c),
			IsCA:       c.IsCA,
			IssuerURLs: c.IssuingCertificateURL,
		})
	}
	return out
}

// loadCAPool reads a caPool file. The path is cloudflared's: when the file is
// not mounted into tunneldoctor the error says so, and verification goes on
// with the system roots alone.
func loadCAPool(path string) ([]*x509.Certificate, *CAPool) {
	info := &CAPool{Path: path}
	f, err := os.Open(path)
	if err != nil {
		info.Error = fmt.Sprintf("cannot read %s from tunneldoctor (it is a path inside cloudflared's container; mount it read-only into tunneldoctor to check it): %v", path, err)
		info.Unreadable = true
		return nil, info
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCAPoolBytes))
	if err != nil {
		info.Error = fmt.Sprintf("reading %s: %v", path, err)
		return nil, info
	}
	var certs []*x509.Certificate
	for len(data) > 0 {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			info.Error = fmt.Sprintf("%s: a certificate does not parse: %v", path, err)
			continue
		}
		certs = append(certs, c)
	}
	info.Certs = len(certs)
	if len(certs) == 0 && info.Error == "" {
		info.Error = fmt.Sprintf("%s holds no PEM certificate", path)
	}
	return certs, info
}

// rootsWith returns the system roots plus extra, as cloudflared builds its
// origin pool (it also adds Cloudflare's origin CA roots, which only matter
// for Origin CA certificates).
func rootsWith(extra []*x509.Certificate) *x509.CertPool {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	for _, c := range extra {
		pool.AddCert(c)
	}
	return pool
}

// verifyChain verifies the peer chain for name at now, as crypto/tls does;
// name "" checks the chain of trust alone. The error is returned too so a
// handshake can fail with it, wrapped, as cloudflared's would.
func verifyChain(certs []*x509.Certificate, roots *x509.CertPool, name string, now time.Time) (*Verification, error) {
	v := &Verification{Name: name}
	if len(certs) == 0 {
		err := errors.New("the origin sent no certificate")
		v.Error, v.Cause = err.Error(), CauseCertInvalid
		return v, err
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter, DNSName: name, CurrentTime: now,
	})
	if err != nil {
		v.Error, v.Cause = err.Error(), Classify(err)
		return v, err
	}
	v.OK = true
	return v, nil
}

// nameFromCert picks a name the leaf is valid for, to suggest as
// originServerName: a plain DNS SAN, else a wildcard SAN with a label filled
// in from near (the service host), else an IP SAN. "" when it names nothing.
func nameFromCert(leaf *x509.Certificate, near string) string {
	for _, n := range leaf.DNSNames {
		if !strings.Contains(n, "*") {
			return n
		}
	}
	for _, n := range leaf.DNSNames {
		if strings.HasPrefix(n, "*.") {
			label := "origin"
			if near != "" && net.ParseIP(near) == nil {
				label = strings.SplitN(near, ".", 2)[0]
			}
			return label + n[1:]
		}
	}
	if len(leaf.IPAddresses) > 0 {
		return leaf.IPAddresses[0].String()
	}
	return ""
}

// isSelfSigned: issued by its own subject and signed by its own key (a leaf
// is not a CA, so CheckSignatureFrom would refuse it).
func isSelfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawSubject, c.RawIssuer) &&
		c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}
