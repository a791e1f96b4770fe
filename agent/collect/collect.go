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
	cl := &clients{redactor: runRedactor(opts)}
	defer cl.close()
	collectDocker(ctx, opts, s, cl)
	learnSecrets(cl.redactor, s)
	collectCloudflared(ctx, opts, s, cl)
	collectHostMode(s) // cloudflared on the host: Docker's topology still counts
	collectIngress(ctx, opts, s, cl)
	fillTunnelFromCredentials(s)
	collectDockerOrigins(ctx, opts, s, cl)
	inspectLoopbackCandidates(ctx, opts, s, cl) // what a localhost rule may have meant: the ports they expose
	// The origins are inspected only now: their secret-named env values
	// (DB_PASSWORD...) join the run's secrets before anything quotes them
	// (a probe's body sample, an error page echoing the app's settings).
	learnSecrets(cl.redactor, s)
	done := make(chan struct{})
	go func() {
		defer close(done)
		collectProbes(ctx, opts, s)
	}()
	collectEdge(ctx, opts, s, cl)
	<-done
	// After the probes: the logs of origins that refused one.
	collectRefusedOriginLogs(ctx, opts, s, cl)
	// A 5xx origin's log names its own upstream: follow it one hop.
	collectOriginUpstreams(ctx, opts, s, cl)
	learnSecrets(cl.redactor, s) // the upstreams inspected last
	fillTunnelFromEdge(s)        // after the probes: they run beside the edge collector
	return s
}
