// Package probe reaches each origin the way cloudflared would (same dialer,
// timeouts, TLS settings and Host header) and records what happened, phase by
// phase. It returns data, never a verdict; agent/checks judges it.
package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// Options bound a probe run. Zero values take the defaults below.
type Options struct {
	// MaxTime bounds one whole probe, body included: an origin that trickles
	// bytes cannot hold a run longer than this.
	MaxTime time.Duration
	// Concurrency is how many probes run at once.
	Concurrency int
	// BodySample is how many body bytes are kept as text evidence.
	BodySample int
	// MaxBody bounds the raw body bytes read from one origin.
	MaxBody int64
	// MaxDecompressed bounds how far a gzip body is decompressed (streamed
	// to nowhere, so memory stays flat whatever the size).
	MaxDecompressed int64
	// Now is the clock for certificate verification; nil means time.Now.
	Now func() time.Time
	// Resolver looks up the origins' names; nil means the system's, as
	// cloudflared's own dialer uses.
	Resolver *net.Resolver
}

// Defaults of Options.
const (
	DefaultMaxTime         = 20 * time.Second
	DefaultConcurrency     = 16
	DefaultBodySample      = 1024
	DefaultMaxBody         = 4 << 20
	DefaultMaxDecompressed = 32 << 20
)

func (o Options) withDefaults() Options {
	if o.MaxTime <= 0 {
		o.MaxTime = DefaultMaxTime
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.BodySample <= 0 {
		o.BodySample = DefaultBodySample
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxDecompressed <= 0 {
		o.MaxDecompressed = DefaultMaxDecompressed
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Run probes every target concurrently, at most o.Concurrency at a time, and
// returns the results in the targets' order. Each probe has its own deadline,
// so the run takes about as long as its slowest probe, not their sum.
func Run(ctx context.Context, targets []Target, o Options) []Result {
	o = o.withDefaults()
	out := make([]Result, len(targets))
	sem := make(chan struct{}, o.Concurrency)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				out[i] = Result{Target: t, Started: time.Now(), Limit: o.MaxTime,
					Error: fmt.Sprintf("not probed: %v", ctx.Err()), Cause: Classify(ctx.Err())}
				return
			}
			defer func() { <-sem }()
			out[i], _ = Probe(ctx, t, o) // the error is in the result too
		}()
	}
	wg.Wait()
	return out
}

// Probe reaches one target and returns what it saw, and the Go error of the
// first failure (also recorded, as text and classified cause, in the
// result). It always returns within o.MaxTime, plus scheduling noise.
func Probe(ctx context.Context, t Target, o Options) (Result, error) {
	o = o.withDefaults()
	r := Result{Target: t, Started: time.Now(), Limit: o.MaxTime}
	ctx, cancel := context.WithTimeout(ctx, o.MaxTime)
	defer cancel()
	tr := newTracer()
	var err error
	switch t.Kind {
	case KindTCP:
		err = probeTCP(ctx, t, o, tr)
	case KindHTTP:
		err = probeHTTP(ctx, t, o, tr, &r)
	default:
		err = fmt.Errorf("cannot probe service %q: unknown kind %q", t.Service, t.Kind)
	}
	if err == nil {
		followUps(ctx, t, o, &r)
	}
	r.Total = time.Since(r.Started)
	tr.mu.Lock()
	r.DNS, r.Connect, r.TLS = tr.dns, tr.connect, tr.tls
	tr.mu.Unlock()
	if err != nil {
		r.Error, r.Cause, r.Phase = err.Error(), Classify(err), tr.currentPhase()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			r.CutShort = cutShort(t, r.Phase, tr)
			if r.Cause == CauseOther || r.Cause == CauseEOF {
				r.Cause = CauseTimeout
			}
		}
	}
	return r, err
}

// cutShort reports whether tunneldoctor's limit, not the rule's timeout,
// ended the phase: then cloudflared would have waited longer.
func cutShort(t Target, p Phase, tr *tracer) bool {
	switch p {
	case PhaseConnect:
		return tr.elapsedIn(p) < t.ConnectTimeout
	case PhaseTLS:
		return tr.elapsedIn(p) < t.TLSTimeout
	case PhaseDNS:
		return false
	}
	// cloudflared has no response or body timeout of its own.
	return true
}
