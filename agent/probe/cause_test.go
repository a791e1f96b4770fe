package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
)

// TestClassifyBuiltErrors covers the causes no loopback server can produce
// without leaving the machine (DNS answers come from the system resolver).
// The error shapes are the ones net and net/http return, wrapped the way a
// probe wraps them.
func TestClassifyBuiltErrors(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("GET http://web:8080: %w", err) }
	cases := []struct {
		err  error
		want Cause
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "wbe", Server: "127.0.0.11:53", IsNotFound: true}}, CauseDNSNotFound},
		{&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "server misbehaving", Name: "web", Server: "127.0.0.11:53", IsTemporary: true}}, CauseDNSFailure},
		{&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, CauseReset},
		{&net.OpError{Op: "dial", Net: "unix", Err: os.NewSyscallError("connect", syscall.ENOENT)}, CauseUnixSocketMissing},
		{&net.OpError{Op: "dial", Net: "unix", Err: os.NewSyscallError("connect", syscall.EACCES)}, CausePermission},
		{io.EOF, CauseEOF},
		{context.DeadlineExceeded, CauseTimeout},
		{errors.New(`net/http: TLS handshake timeout`), CauseTLSHandshakeTimeo},
		{errors.New(`malformed HTTP response "\x15\x03\x01\x00\x02\x02F"`), CausePlainToTLS},
		{errors.New(`malformed HTTP response "SSH-2.0-OpenSSH_9.6"`), CauseMalformedResponse},
		{errors.New("something else"), CauseOther},
		{nil, CauseNone},
	}
	for _, tc := range cases {
		err := tc.err
		if err != nil {
			err = wrap(err)
		}
		if got := Classify(err); got != tc.want {
			t.Errorf("Classify(%v) = %q, want %q", err, got, tc.want)
		}
	}
}

func TestPlainToTLSAnswer(t *testing.T) {
	nginx := "<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>"
	if p, ok := PlainToTLSAnswer(400, nginx); !ok || p != "The plain HTTP request was sent to HTTPS port" {
		t.Errorf("nginx: %q %v", p, ok)
	}
	if _, ok := PlainToTLSAnswer(200, nginx); ok {
		t.Error("only a 400 is that answer")
	}
}
