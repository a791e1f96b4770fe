package agent

import (
	"context"
	"time"
)

// Collect does all the I/O of one run and returns the facts. It never fails:
// a source that cannot be read is recorded as a Gap in the snapshot.
//
// Order matters: Docker discovery finds cloudflared and its command line;
// cloudflared's metrics server tells which ingress is live; the ingress
// decides what to probe and which hostnames to look up at Cloudflare.
func Collect(ctx context.Context, opts Options) *Snapshot {
	s := &Snapshot{Taken: time.Now()}
	collectDocker(ctx, opts, s)
	collectCloudflared(ctx, opts, s)
	collectIngress(ctx, opts, s)
	fillTunnelFromCredentials(s)
	collectDockerOrigins(ctx, opts, s)
	defer closeDocker(opts, s)
	done := make(chan struct{})
	go func() {
		defer close(done)
		collectProbes(ctx, opts, s)
	}()
	collectEdge(ctx, opts, s)
	<-done
	fillTunnelFromEdge(s) // after the probes: they run beside the edge collector
	return s
}
