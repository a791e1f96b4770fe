package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
)

// Cause is the classified reason a probe failed. The strings are stable:
// checks and JSON consumers key on them.
type Cause string

const (
	CauseNone              Cause = ""
	CauseDNSNotFound       Cause = "dns_not_found"      // NXDOMAIN: the name does not resolve
	CauseDNSFailure        Cause = "dns_failure"        // the resolver failed (timeout, SERVFAIL)
	CauseRefused           Cause = "connection_refused" // nothing listens on that port
	CauseConnectTimeout    Cause = "connect_timeout"    // no answer to SYN: firewall, wrong IP
	CauseReset             Cause = "connection_reset"   // the peer reset the connection
	CauseEOF               Cause = "eof"                // the peer closed without answering
	CauseTLSToPlain        Cause = "tls_to_plain_port"  // https:// rule, plain-HTTP origin
	CausePlainToTLS        Cause = "plain_to_tls_port"  // http:// rule, TLS origin
	CauseUnknownAuthority  Cause = "unknown_authority"  // self-signed or private CA
	CauseNameMismatch      Cause = "name_mismatch"      // certificate not valid for the name
	CauseIPWithoutSAN      Cause = "ip_without_ip_san"  // dialled by IP, no IP SANs
	CauseCertExpired       Cause = "cert_expired"       // NotAfter in the past
	CauseCertNotYetValid   Cause = "cert_not_yet_valid" // NotBefore in the future
	CauseCertInvalid       Cause = "cert_invalid"       // another x509 verification failure
	CauseTLSHandshakeTimeo Cause = "tls_handshake_timeout"
	CauseTLSAlert          Cause = "tls_alert"           // the origin aborted the handshake
	CauseUnixSocketMissing Cause = "unix_socket_missing" // no file at the socket path
	CausePermission        Cause = "permission_denied"   // socket or file not accessible
	CauseTimeout           Cause = "timeout"             // waiting for the response or body
	CauseMalformedResponse Cause = "malformed_response"  // not HTTP
	CauseOther             Cause = "other"
)

// Classify maps a probe error to its cause. It looks at error types first and
// at message text only where Go exposes no type (net/http's handshake
// timeout, malformed responses).
func Classify(err error) Cause {
	if err == nil {
		return CauseNone
	}
	msg := err.Error()

	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsNotFound {
			return CauseDNSNotFound
		}
		return CauseDNSFailure
	}
	var recErr tls.RecordHeaderError
	if errors.As(err, &recErr) || strings.Contains(msg, "first record does not look like a TLS handshake") {
		return CauseTLSToPlain
	}
	if c := classifyX509(err); c != CauseNone {
		return c
	}
	var alert tls.AlertError
	if errors.As(err, &alert) || strings.Contains(msg, "remote error: tls:") {
		return CauseTLSAlert
	}
	if strings.Contains(msg, "TLS handshake timeout") {
		return CauseTLSHandshakeTimeo
	}
	if looksLikeTLSAlertAsHTTP(msg) {
		return CausePlainToTLS
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return CauseRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return CauseReset
	case errors.Is(err, syscall.ENOENT), errors.Is(err, os.ErrNotExist):
		return CauseUnixSocketMissing
	case errors.Is(err, syscall.EACCES), errors.Is(err, os.ErrPermission):
		return CausePermission
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" && opErr.Timeout() {
		return CauseConnectTimeout
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return CauseTimeout
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return CauseTimeout
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return CauseEOF
	}
	if strings.Contains(msg, "malformed HTTP") {
		return CauseMalformedResponse
	}
	return CauseOther
}

func classifyX509(err error) Cause {
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		return CauseUnknownAuthority
	}
	var host x509.HostnameError
	if errors.As(err, &host) {
		if strings.Contains(host.Error(), "doesn't contain any IP SANs") {
			return CauseIPWithoutSAN
		}
		return CauseNameMismatch
	}
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) {
		if invalid.Reason == x509.Expired {
			// Go reports both ends of the validity window as Expired;
			// its message says which side the clock is on.
			if strings.Contains(invalid.Error(), "is before") {
				return CauseCertNotYetValid
			}
			return CauseCertExpired
		}
		return CauseCertInvalid
	}
	return CauseNone
}

// looksLikeTLSAlertAsHTTP spots a TLS origin answering a plain HTTP request
// with a TLS alert record: net/http reports it as a malformed response
// starting with the record type 0x15 and version 0x03.
func looksLikeTLSAlertAsHTTP(msg string) bool {
	return strings.Contains(msg, "malformed HTTP") && strings.Contains(msg, `\x15\x03`)
}

// plainToTLSBodies are what common TLS servers answer when they receive a
// plain HTTP request: nginx, Go's net/http, Apache.
var plainToTLSBodies = []string{
	"The plain HTTP request was sent to HTTPS port",
	"Client sent an HTTP request to an HTTPS server",
	"speaking plain HTTP to an SSL-enabled server port",
}

// PlainToTLSAnswer reports whether a 400 response body is a TLS server
// complaining about a plain HTTP request, and returns the phrase found.
func PlainToTLSAnswer(status int, body string) (string, bool) {
	if status != 400 {
		return "", false
	}
	for _, p := range plainToTLSBodies {
		if strings.Contains(body, p) {
			return p, true
		}
	}
	return "", false
}
