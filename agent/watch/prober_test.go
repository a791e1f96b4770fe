package watch

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// fakeOrigins is a probe function whose origins answer after a delay the
// test sets per address, on the bubble's fake clock; an origin set to hang
// answers with a timeout at the probe's MaxTime.
type fakeOrigins struct {
	mu     sync.Mutex
	delay  map[string]time.Duration // absent: answers at once
	hung   map[string]bool
	calls  map[string]int
	active map[string]int // probes of the address running now
	most   map[string]int // the most ever running at once
}

func newFakeOrigins() *fakeOrigins {
	return &fakeOrigins{delay: map[string]time.Duration{}, hung: map[string]bool{},
		calls: map[string]int{}, active: map[string]int{}, most: map[string]int{}}
}

func (f *fakeOrigins) setHung(addr string, hung bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hung[addr] = hung
}

func (f *fakeOrigins) setDelay(addr string, d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delay[addr] = d
}

func (f *fakeOrigins) count(addr string) (calls, most int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[addr], f.most[addr]
}

func (f *fakeOrigins) probe(_ context.Context, t probe.Target, o probe.Options) probe.Result {
	f.mu.Lock()
	f.calls[t.Address]++
	f.active[t.Address]++
	f.most[t.Address] = max(f.most[t.Address], f.active[t.Address])
	hung, d := f.hung[t.Address], f.delay[t.Address]
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.active[t.Address]--
		f.mu.Unlock()
	}()
	r := probe.Result{Target: t, Started: time.Now(), Limit: o.MaxTime}
	if hung {
		time.Sleep(o.MaxTime)
		r.Error, r.Phase, r.Cause = "context deadline exceeded", probe.PhaseResponse, probe.CauseTimeout
	} else {
		time.Sleep(d)
		r.HTTP = &probe.HTTPPhase{Status: 200}
	}
	r.Total = time.Since(r.Started)
	return r
}

func target(rule int, addr string) probe.Target {
	return probe.Target{Rule: rule, Service: "http://" + addr, Kind: probe.KindHTTP, Network: "tcp", Address: addr}
}

var probeOpts = probe.Options{MaxTime: 20 * time.Second}

// drainProbes lets the probes still in flight end: a bubble must not end
// with goroutines left.
func drainProbes() {
	time.Sleep(probeOpts.MaxTime)
	synctest.Wait()
}

// byRule finds rule's entry in a run's results or pending list.
func byRule(rs []probe.Result, ps []probe.Pending, rule int) (*probe.Result, *probe.Pending) {
	for i := range rs {
		if rs[i].Target.Rule == rule {
			return &rs[i], nil
		}
	}
	for i := range ps {
		if ps[i].Target.Rule == rule {
			return nil, &ps[i]
		}
	}
	return nil, nil
}

// A hung origin is probed once however many runs ask, and is pending (in
// no result, so no check can call it healthy) until its probe ends; the
// healthy origin beside it is answered fresh by every run, within the
// budget, whatever the hung one does.
func TestProberOneProbeInFlightPerOrigin(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeOrigins()
		f.setHung("hung:80", true)
		p := NewProber(time.Second, f.probe)
		targets := []probe.Target{target(0, "web:80"), target(1, "hung:80"), target(2, "hung:80")} // rules 1 and 2: one origin
		ctx := context.Background()

		for run := range 3 {
			start := time.Now()
			rs, ps := p.Probe(ctx, targets, probeOpts)
			if took := time.Since(start); took > time.Second {
				t.Errorf("run %d took %v, want at most the budget", run, took)
			}
			if r, _ := byRule(rs, ps, 0); r == nil || !r.OK() || !r.InFlight.IsZero() {
				t.Fatalf("run %d: the healthy origin's result is %+v, want a fresh success", run, r)
			}
			for _, rule := range []int{1, 2} {
				r, pend := byRule(rs, ps, rule)
				if r != nil || pend == nil {
					t.Fatalf("run %d: rule %d (hung, never completed) is %+v, want pending", run, rule, r)
				}
				if pend.Target.Rule != rule {
					t.Errorf("pending entry names rule %d, want %d", pend.Target.Rule, rule)
				}
			}
			time.Sleep(2 * time.Second) // the next run comes later
		}
		if calls, most := f.count("hung:80"); calls != 1 || most != 1 {
			t.Errorf("hung origin: %d probes started, %d at once; want 1 and 1 (one in flight per origin, shared by two rules)", calls, most)
		}
		if calls, _ := f.count("web:80"); calls != 3 {
			t.Errorf("healthy origin probed %d times in 3 runs, want 3", calls)
		}
		drainProbes()
	})
}

// An origin that answered before and hangs now is reported with its last
// completed result, marked with when the running probe started; a probe
// that ends within the budget is waited for.
func TestProberReusesLastResultWhileInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeOrigins()
		f.setDelay("web:80", 500*time.Millisecond) // slower than nothing, within the budget
		p := NewProber(time.Second, f.probe)
		targets := []probe.Target{target(0, "web:80")}
		ctx := context.Background()

		rs, ps := p.Probe(ctx, targets, probeOpts)
		if len(rs) != 1 || len(ps) != 0 || !rs[0].OK() || !rs[0].InFlight.IsZero() {
			t.Fatalf("first run: %+v %+v; want the probe waited for (it ends within the budget)", rs, ps)
		}
		first := rs[0].Started

		time.Sleep(5 * time.Second)
		f.setHung("web:80", true)
		began := time.Now()
		rs, ps = p.Probe(ctx, targets, probeOpts)
		if len(rs) != 1 || len(ps) != 0 {
			t.Fatalf("second run: %+v %+v; want one result", rs, ps)
		}
		r := rs[0]
		if !r.OK() || !r.Started.Equal(first) || !r.InFlight.Equal(began) {
			t.Errorf("second run: ok %v, started %v, in flight since %v; want the last result (from %v) marked in flight since %v",
				r.OK(), r.Started, r.InFlight, first, began)
		}

		// Once the hung probe ended, its timeout is the last result: the
		// next run (whose own probe hangs again) reports that.
		time.Sleep(probeOpts.MaxTime)
		synctest.Wait()
		rs, _ = p.Probe(ctx, targets, probeOpts)
		if len(rs) != 1 || rs[0].Cause != probe.CauseTimeout || rs[0].InFlight.IsZero() {
			t.Errorf("after the hung probe ended: %+v; want its timeout, reused while the next probe runs", rs)
		}
		if calls, most := f.count("web:80"); calls != 3 || most != 1 {
			t.Errorf("%d probes, %d at once; want 3 (one per run, none while one ran) and 1", calls, most)
		}
		drainProbes()
	})
}

// When a probe that a run did not wait for ends, Completed ticks once so
// the watcher re-runs; a probe that ends with the same outcome as the last
// one is no news and does not tick.
func TestProberCompletionTicks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeOrigins()
		f.setHung("hung:80", true)
		p := NewProber(time.Second, f.probe)
		targets := []probe.Target{target(0, "hung:80")}
		ctx := context.Background()

		p.Probe(ctx, targets, probeOpts)
		started := time.Now()
		select {
		case <-p.Completed():
			if got := time.Since(started); got < probeOpts.MaxTime-time.Second {
				t.Errorf("ticked %v after the run, before the probe could end", got)
			}
		case <-time.After(time.Minute):
			t.Fatal("no tick when the slow probe ended")
		}

		// The next probe hangs the same way: same outcome, no news.
		rs, _ := p.Probe(ctx, targets, probeOpts)
		if len(rs) != 1 || rs[0].InFlight.IsZero() || rs[0].Cause != probe.CauseTimeout {
			t.Fatalf("second run: %+v; want the timeout, reused while the next probe runs", rs)
		}
		select {
		case <-p.Completed():
			t.Error("ticked for a probe that ended as the last one did")
		case <-time.After(time.Minute):
		}
		drainProbes()
	})
}

// A tick from the prober makes the watcher run at once (trigger probe).
func TestWatcherRunsWhenASlowProbeCompletes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			log     dockertest.SyncBuffer
			w       world
			results = make(chan Result, 16)
			probed  = make(chan struct{}, 1)
		)
		w.set()
		wt := w.watcher(&log, results)
		wt.Probed = probed
		start(t, wt)
		waitResult(t, results, "start-up run", 2*time.Second)

		probed <- struct{}{}
		at := time.Now()
		r := waitResult(t, results, "probe run", time.Second)
		if r.Trigger != TriggerProbe {
			t.Fatalf("run after the tick: trigger %s, want %s", r.Trigger, TriggerProbe)
		}
		if got := r.Started.Sub(at); got != probeSettle {
			t.Errorf("the probe run started %v after the tick, want %v", got, probeSettle)
		}
		noResult(t, results, 10*time.Minute, "one tick, one run")
	})
}
