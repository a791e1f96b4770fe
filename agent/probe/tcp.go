package probe

import (
	"context"
	"fmt"
	"net"
	"net/http/httptrace"
)

// probeTCP connects and hangs up: for ssh, rdp, smb and tcp services
// cloudflared only streams bytes, so reaching the port is what matters.
func probeTCP(ctx context.Context, t Target, o Options, tr *tracer) error {
	dialer := &net.Dialer{Timeout: t.ConnectTimeout, Resolver: o.Resolver}
	if t.NoHappyEyeballs {
		dialer.FallbackDelay = -1
	}
	ctx = httptrace.WithClientTrace(ctx, tr.trace())
	conn, err := dialer.DialContext(ctx, t.Network, t.Address)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", t.Service, err)
	}
	return conn.Close()
}
