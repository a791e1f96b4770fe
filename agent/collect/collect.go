// Package collect does all of one run's I/O: it reads Docker, cloudflared,
// the ingress configuration, the origins and the Cloudflare API, and fills
// an agent.Snapshot. It owns the run's live clients; the Snapshot holds
// facts only, so checks and reports never compile a client.
package collect

import (
	"context"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// Snapshot does all the I/O of one run and returns the facts. It never
// fails: a source that cannot be read is recorded as a Gap in the snapshot.
//
// Order matters: Docker discovery finds cloudflared and its command line;
// cloudflared's metrics server tells which ingress is live; the ingress
// decides what to probe and which hostnames to look up at Cloudflare.
func Snapshot(ctx context.Context, opts Options) *agent.Snapshot {
	s := &agent.Snapshot{Taken: time.Now()}
	cl := &clients{}
	defer cl.close()
	collectDocker(ctx, opts, s, cl)
	collectCloudflared(ctx, opts, s, cl)
	collectHostMode(s) // cloudflared on the host: Docker's topology still counts
	collectIngress(ctx, opts, s, cl)
	fillTunnelFromCredentials(s)
	collectDockerOrigins(ctx, opts, s, cl)
	done := make(chan struct{})
	go func() {
		defer close(done)
		collectProbes(ctx, opts, s)
	}()
	collectEdge(ctx, opts, s, cl)
	<-done
	fillTunnelFromEdge(s) // after the probes: they run beside the edge collector
	return s
}
