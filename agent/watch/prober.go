package watch

import (
	"context"
	"sync"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// DefaultProbeBudget is how long a run waits for a probe it started before
// it reports on without it (see Prober).
const DefaultProbeBudget = 1500 * time.Millisecond

// ProbeFunc probes one origin (probe.Probe in production).
type ProbeFunc func(context.Context, probe.Target, probe.Options) probe.Result

// Prober schedules the watcher's origin probes per origin, so one slow or
// hung origin never holds back the verdict on the others (a run would
// otherwise wait out its probe timeout, 20 s by default, and every Docker
// event behind it too). It implements collect.Prober:
//
//   - At most one probe per origin is in flight. An origin is a target with
//     its effective originRequest, whatever the rule index: two rules that
//     reach the same origin the same way share one probe.
//   - A run starts a probe of every origin that has none in flight and
//     waits for each at most Budget after that probe started: a probe in
//     flight since an earlier run is not waited for again.
//   - An origin whose probe is still running after that is reported with
//     its last completed result, marked InFlight (the time the running
//     probe started); one that never completed is Pending: unknown, never
//     healthy.
//   - When a probe that a run stopped waiting for completes with another
//     outcome than the origin's last one, Completed ticks: the watcher
//     re-runs at once, so the verdict arrives as soon as it is known.
//
// Probes outlive the run that started them (later runs reuse them), so they
// are detached from the run's cancellation and bounded by their own MaxTime
// only.
type Prober struct {
	budget    time.Duration
	probe     ProbeFunc
	completed chan struct{}

	mu      sync.Mutex
	origins map[probe.Target]*originProbe
	sem     chan struct{} // bounds probes in flight across runs
}

// originProbe is what the Prober knows about one origin.
type originProbe struct {
	done  chan struct{} // closed when the probe in flight ends; nil when none is
	since time.Time     // when the probe in flight started
	last  *probe.Result // the last completed probe, nil before the first
	// given: a run stopped waiting for the probe in flight, so its
	// completion is news.
	given bool
}

// NewProber returns a Prober that waits budget for each probe it starts
// (0: DefaultProbeBudget) and probes with fn (nil: probe.Probe).
func NewProber(budget time.Duration, fn ProbeFunc) *Prober {
	if budget <= 0 {
		budget = DefaultProbeBudget
	}
	if fn == nil {
		fn = func(ctx context.Context, t probe.Target, o probe.Options) probe.Result {
			r, _ := probe.Probe(ctx, t, o) // the error is in the result too
			return r
		}
	}
	return &Prober{budget: budget, probe: fn, completed: make(chan struct{}, 1),
		origins: make(map[probe.Target]*originProbe)}
}

// Completed ticks when a probe that some run did not wait for has completed
// with news (Watcher.Probed).
func (p *Prober) Completed() <-chan struct{} { return p.completed }

// Probe returns the results of one run, in the targets' order, and the
// origins still pending. See Prober for the rules.
func (p *Prober) Probe(ctx context.Context, targets []probe.Target, o probe.Options) ([]probe.Result, []probe.Pending) {
	type wait struct {
		done  chan struct{}
		until time.Time
	}
	waits := make([]wait, len(targets))
	p.mu.Lock()
	if p.sem == nil {
		n := o.Concurrency
		if n <= 0 {
			n = probe.DefaultConcurrency
		}
		p.sem = make(chan struct{}, n)
	}
	keep := make(map[probe.Target]bool, len(targets))
	for i, t := range targets {
		key := originKey(t)
		keep[key] = true
		op := p.origins[key]
		if op == nil {
			op = &originProbe{}
			p.origins[key] = op
		}
		if op.done == nil {
			p.start(ctx, op, t, o)
		}
		waits[i] = wait{done: op.done, until: op.since.Add(p.budget)}
	}
	for key, op := range p.origins {
		if !keep[key] && op.done == nil {
			delete(p.origins, key) // no longer in the ingress
		}
	}
	p.mu.Unlock()

	for _, w := range waits {
		if d := time.Until(w.until); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-w.done:
			case <-t.C:
			case <-ctx.Done():
			}
			t.Stop()
		}
	}

	var results []probe.Result
	var pending []probe.Pending
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, t := range targets {
		op := p.origins[originKey(t)]
		finished := closed(waits[i].done)
		switch {
		case finished && op.last != nil:
			r := *op.last
			r.Target = t
			results = append(results, r)
		case op.last != nil:
			op.given = true
			r := *op.last
			r.Target, r.InFlight = t, op.since
			results = append(results, r)
		default:
			op.given = true
			pending = append(pending, probe.Pending{Target: t, Since: op.since})
		}
	}
	return results, pending
}

// start begins a probe of t (p.mu held).
func (p *Prober) start(ctx context.Context, op *originProbe, t probe.Target, o probe.Options) {
	done := make(chan struct{})
	op.done, op.since = done, time.Now()
	ctx = context.WithoutCancel(ctx)
	go func() {
		p.sem <- struct{}{}
		r := p.probe(ctx, t, o)
		<-p.sem
		p.mu.Lock()
		news := op.given && (op.last == nil || !sameOutcome(*op.last, r))
		op.last, op.done, op.given = &r, nil, false
		close(done)
		p.mu.Unlock()
		if news {
			select {
			case p.completed <- struct{}{}:
			default: // a tick is already waiting
			}
		}
	}()
}

// originKey is the origin a target reaches, with the settings it is reached
// with: the target without its rule index.
func originKey(t probe.Target) probe.Target {
	t.Rule = 0
	return t
}

// sameOutcome reports whether two probes of one origin would be judged
// alike: same failure (cause, phase) or the same answer. Error texts are
// not compared: they carry ephemeral ports.
func sameOutcome(a, b probe.Result) bool {
	status := func(r probe.Result) int {
		if r.HTTP == nil {
			return 0
		}
		return r.HTTP.Status
	}
	tlsDone := func(r probe.Result) bool { return r.TLS != nil && r.TLS.Done }
	return a.OK() == b.OK() && a.Cause == b.Cause && a.Phase == b.Phase && a.CutShort == b.CutShort &&
		status(a) == status(b) && tlsDone(a) == tlsDone(b)
}

func closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
