package dockertest

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// LocalResolver is a resolver whose every DNS query goes to a server on
// 127.0.0.1 that this test runs and that answers NXDOMAIN to every name, as
// a host's resolver answers a container name it has never heard of. A probe
// of http://<container-name>:PORT made with it sends nothing off this
// machine (the host's /etc/hosts is still read first, as the system
// resolver does). Asked lists the names queried so far.
type LocalResolver struct {
	*net.Resolver
	mu    sync.Mutex
	asked []string
}

// NewLocalResolver starts the server; it stops when the test ends.
func NewLocalResolver(t testing.TB) *LocalResolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("local DNS server: %v", err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	lr := &LocalResolver{}
	go lr.serve(pc)
	addr := pc.LocalAddr().String()
	lr.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr) // never the servers of /etc/resolv.conf
	}}
	return lr
}

// Asked returns the names queried so far, without the trailing dot.
func (lr *LocalResolver) Asked() []string {
	lr.mu.Lock()
	defer lr.mu.Unlock()
	return append([]string(nil), lr.asked...)
}

func (lr *LocalResolver) serve(pc net.PacketConn) {
	buf := make([]byte, 1500)
	for {
		n, from, err := pc.ReadFrom(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		var p dnsmessage.Parser
		h, err := p.Start(buf[:n])
		if err != nil {
			continue
		}
		q, err := p.Question()
		if err != nil {
			continue
		}
		lr.mu.Lock()
		lr.asked = append(lr.asked, strings.TrimSuffix(q.Name.String(), "."))
		lr.mu.Unlock()
		b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, RecursionDesired: h.RecursionDesired,
			RecursionAvailable: true, RCode: dnsmessage.RCodeNameError})
		if b.StartQuestions() != nil || b.Question(q) != nil {
			continue
		}
		out, err := b.Finish()
		if err != nil {
			continue
		}
		_, _ = pc.WriteTo(out, from)
	}
}
