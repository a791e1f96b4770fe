package watch

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// The watcher's timers (interval, debounce, confirm, reconnect back-off) run
// on the clock of a synctest bubble: time there is fake and moves only when
// every goroutine of the bubble is blocked, straight to the next timer. So
// these tests never wait for real time to pass, and what they assert about
// timing (a run Debounce after the event, Confirm after the run before) is
// exact. Everything the watcher touches (its channels, the fake event
// source) must be made inside the bubble.

// start runs wt until the test ends; cancel stops it sooner.
func start(t *testing.T, wt *Watcher) (cancel context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { _ = wt.Run(ctx) }()
	return cancel
}

// world is what the fake run sees: the findings the checks would return.
type world struct {
	findings atomic.Pointer[[]agent.Finding]
	runs     atomic.Int32
}

func (w *world) set(fs ...agent.Finding) { w.findings.Store(&fs) }

func (w *world) watcher(log *dockertest.SyncBuffer, results chan<- Result) *Watcher {
	return &Watcher{
		Collect: func(context.Context) *agent.Snapshot {
			w.runs.Add(1)
			return &agent.Snapshot{Taken: time.Now()}
		},
		Judge:    func(*agent.Snapshot) []agent.Finding { return *w.findings.Load() },
		Interval: time.Hour,
		Debounce: 20 * time.Millisecond,
		Confirm:  50 * time.Millisecond,
		Log:      zerolog.New(log).Level(zerolog.InfoLevel),
		Diag:     zerolog.Nop(),
		Publish: func(r Result) {
			if results != nil {
				results <- r
			}
		},
	}
}

// fakeEvents is an event source the test drives: each subscription gets the
// test's channels, and records the since it was asked for.
type fakeEvents struct {
	mu     sync.Mutex
	since  []time.Time
	events chan dockernet.Event
	errs   chan error
}

func newFakeEvents() *fakeEvents {
	return &fakeEvents{events: make(chan dockernet.Event), errs: make(chan error, 1)}
}

func (f *fakeEvents) source(_ context.Context, since time.Time) (<-chan dockernet.Event, <-chan error) {
	f.mu.Lock()
	f.since = append(f.since, since)
	f.mu.Unlock()
	return f.events, f.errs
}

func (f *fakeEvents) subscriptions() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.since...)
}

// waitResult returns the next published run. In a bubble the timeout is
// on the fake clock: it fires only if no timer of the watcher's due before
// it would produce a run.
func waitResult(t *testing.T, results <-chan Result, what string, timeout time.Duration) Result {
	t.Helper()
	select {
	case r := <-results:
		return r
	case <-time.After(timeout):
		t.Fatalf("timed out after %v waiting for %s", timeout, what)
	}
	return Result{}
}

// noResult asserts that no run is published within d (fake time).
func noResult(t *testing.T, results <-chan Result, d time.Duration, why string) {
	t.Helper()
	select {
	case r := <-results:
		t.Fatalf("%s (extra %s run)", why, r.Trigger)
	case <-time.After(d):
	}
}

func TestWatcherEventDrivenOpenAndResolve(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			log     dockertest.SyncBuffer
			w       world
			ev      = newFakeEvents()
			results = make(chan Result, 16)
		)
		w.set() // healthy
		wt := w.watcher(&log, results)
		wt.Events = ev.source
		start(t, wt)

		if r := waitResult(t, results, "start-up run", 2*time.Second); r.Trigger != TriggerStart || len(r.Changes) != 0 {
			t.Fatalf("start-up run: trigger %s, %d changes; want start, 0", r.Trigger, len(r.Changes))
		}

		// The origin dies: the die event must trigger a run (the interval is an
		// hour) one debounce later, and the error must open at once.
		down := finding("ORG001", agent.Error, "app.example.com")
		w.set(down)
		killed := time.Now()
		ev.events <- dockernet.Event{Time: killed, Type: "container", Action: "die", Name: "web"}
		r := waitResult(t, results, "event run", 2*time.Second)
		if r.Trigger != TriggerEvent || len(r.Changes) != 1 || r.Changes[0].Event != EventOpened {
			t.Fatalf("event run: trigger %s, changes %+v; want one finding_opened", r.Trigger, r.Changes)
		}
		if got := r.Started.Sub(killed); got != wt.Debounce {
			t.Errorf("the event run started %v after the event, want the debounce %v", got, wt.Debounce)
		}
		if !strings.Contains(log.String(), `"event":"finding_opened"`) {
			t.Fatalf("opened line not logged:\n%s", log.String())
		}

		// It restarts: the start event runs, the miss is pending, a confirm run
		// follows Confirm later and resolves it.
		w.set()
		ev.events <- dockernet.Event{Time: time.Now(), Type: "container", Action: "start", Name: "web"}
		miss := waitResult(t, results, "event run after restart", 2*time.Second)
		if len(miss.Changes) != 0 {
			t.Fatalf("one miss must not resolve yet (damping), got %+v", miss.Changes)
		}
		r = waitResult(t, results, "confirm run", 2*time.Second)
		if r.Trigger != TriggerConfirm || len(r.Changes) != 1 || r.Changes[0].Event != EventResolved {
			t.Fatalf("confirm run: trigger %s changes %+v; want finding_resolved", r.Trigger, r.Changes)
		}
		if got := r.Started.Sub(miss.Started); got != wt.Confirm {
			t.Errorf("the confirm run started %v after the miss, want Confirm %v", got, wt.Confirm)
		}
		if got := strings.Count(log.String(), "\n"); got != 2 {
			t.Errorf("want exactly 2 log lines (opened, resolved), got %d:\n%s", got, log.String())
		}
	})
}

func TestWatcherSteadyStateIsQuiet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			log     dockertest.SyncBuffer
			w       world
			results = make(chan Result, 64)
		)
		w.set(finding("PRB010", agent.Warn, "slow.example.com"))
		wt := w.watcher(&log, results)
		wt.Interval = DefaultInterval
		cancel := start(t, wt)
		prev := waitResult(t, results, "start-up run", time.Second)
		for i := 0; i < 10; i++ {
			r := waitResult(t, results, "interval run", 2*wt.Interval)
			if r.Trigger != TriggerInterval || r.Started.Sub(prev.Started) != wt.Interval {
				t.Fatalf("run %d: trigger %s %v after the one before; want interval, %v", i, r.Trigger, r.Started.Sub(prev.Started), wt.Interval)
			}
			prev = r
		}
		cancel()
		out := log.String()
		if strings.Count(out, "finding_opened") != 1 || strings.Count(out, "\n") != 1 {
			t.Fatalf("11 identical runs must log the finding once, got:\n%s", out)
		}
	})
}

func TestWatcherDebouncesBursts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			log     dockertest.SyncBuffer
			w       world
			ev      = newFakeEvents()
			results = make(chan Result, 16)
		)
		w.set()
		wt := w.watcher(&log, results)
		wt.Events = ev.source
		wt.Debounce = 100 * time.Millisecond
		start(t, wt)
		waitResult(t, results, "start-up run", 2*time.Second)

		// compose up: a burst of 20 events in 40 ms is one run, a debounce
		// after the last event.
		for i := 0; i < 20; i++ {
			if i > 0 {
				time.Sleep(2 * time.Millisecond) // fake clock: the burst's spacing
			}
			ev.events <- dockernet.Event{Time: time.Now(), Type: "container", Action: "start"}
		}
		last := time.Now()
		if r := waitResult(t, results, "burst run", 2*time.Second); r.Started.Sub(last) != wt.Debounce {
			t.Errorf("the burst run started %v after the last event, want the debounce %v", r.Started.Sub(last), wt.Debounce)
		}
		noResult(t, results, 10*wt.Debounce, "a burst of events ran the checks more than once")
		if n := w.runs.Load(); n != 2 {
			t.Errorf("runs = %d, want 2 (start-up + one for the burst)", n)
		}
	})
}

// TestWatcherDebounceIsBounded: events that never leave a quiet debounce
// period still run the checks 4 debounce periods after the first of them.
func TestWatcherDebounceIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			log     dockertest.SyncBuffer
			w       world
			ev      = newFakeEvents()
			results = make(chan Result, 16)
		)
		w.set()
		wt := w.watcher(&log, results)
		wt.Events = ev.source
		wt.Debounce = 100 * time.Millisecond
		start(t, wt)
		waitResult(t, results, "start-up run", 2*time.Second)

		first := time.Now()
		var r Result
		for got := false; !got; {
			ev.events <- dockernet.Event{Time: time.Now(), Type: "container", Action: "start"}
			select {
			case r = <-results:
				got = true
			case <-time.After(wt.Debounce / 2): // fake clock: the next event comes before the quiet period ends
			}
			if time.Since(first) > 10*wt.Debounce {
				t.Fatalf("no run %v after the first of a stream of events", time.Since(first))
			}
		}
		if got := r.Started.Sub(first); r.Trigger != TriggerEvent || got != 4*wt.Debounce {
			t.Errorf("%s run %v after the first event, want an event run after 4 debounce periods (%v)", r.Trigger, got, 4*wt.Debounce)
		}
	})
}

func TestWatcherReconnectsWithSince(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			log     dockertest.SyncBuffer
			w       world
			ev      = newFakeEvents()
			results = make(chan Result, 16)
		)
		w.set()
		wt := w.watcher(&log, results)
		wt.Events = ev.source
		start(t, wt)
		waitResult(t, results, "start-up run", 2*time.Second)

		time.Sleep(time.Second) // fake clock: the event comes after the subscription
		last := time.Now().Round(0)
		ev.events <- dockernet.Event{Time: last, Type: "container", Action: "die"}
		waitResult(t, results, "event run", 2*time.Second)
		ev.errs <- errors.New("unexpected EOF") // the socket proxy closed the stream

		// A stream that ended at once waits the back-off before it
		// re-subscribes: not a hot loop.
		synctest.Wait()
		if n := len(ev.subscriptions()); n != 1 {
			t.Fatalf("re-subscribed before the back-off (subscriptions: %d)", n)
		}
		time.Sleep(minBackoff) // fake clock: the back-off passes
		synctest.Wait()
		subs := ev.subscriptions()
		if len(subs) != 2 {
			t.Fatalf("event stream not re-subscribed %v after an error (subscriptions: %d)", minBackoff, len(subs))
		}
		if !subs[1].After(last) || subs[1].Sub(last) > time.Millisecond {
			t.Errorf("re-subscribed with since=%v, want just after the last event %v", subs[1], last)
		}
		// Events replayed after the reconnect still trigger a run.
		ev.events <- dockernet.Event{Time: time.Now(), Type: "network", Action: "disconnect"}
		if r := waitResult(t, results, "run after reconnect", 2*time.Second); r.Trigger != TriggerEvent {
			t.Errorf("run after reconnect: trigger %s, want event", r.Trigger)
		}
	})
}

func TestWatcherSurvivesACrashingRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			log     dockertest.SyncBuffer
			w       world
			results = make(chan Result, 16)
			calls   atomic.Int32
		)
		w.set(finding("ORG001", agent.Error, "app.example.com"))
		wt := w.watcher(&log, results)
		wt.Interval = 10 * time.Millisecond
		judge := wt.Judge
		wt.Judge = func(s *agent.Snapshot) []agent.Finding {
			if calls.Add(1) == 2 {
				panic("collector bug")
			}
			return judge(s)
		}
		cancel := start(t, wt)
		crashed := 0
		for i := 0; i < 3; i++ {
			if r := waitResult(t, results, "run", 2*time.Second); r.Crash != "" {
				crashed++
				if !strings.Contains(r.Crash, "collector bug") {
					t.Errorf("crash result says %q", r.Crash)
				}
			}
		}
		cancel()
		if crashed != 1 {
			t.Errorf("want the crashed run published once with its reason, got %d", crashed)
		}
		if strings.Contains(log.String(), "finding_resolved") {
			t.Fatalf("a crashed run resolved findings:\n%s", log.String())
		}
	})
}

// TestWatcherQuickPassLogsBeforeSlowProbes: after an event, the quick pass
// (no probes) logs the error while the full run is still waiting on a slow
// probe.
func TestWatcherQuickPassLogsBeforeSlowProbes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			log     dockertest.SyncBuffer
			w       world
			ev      = newFakeEvents()
			results = make(chan Result, 16)
		)
		const probeWait = 800 * time.Millisecond
		w.set()
		wt := w.watcher(&log, results)
		wt.Events = ev.source
		collect := wt.Collect
		slowFull := atomic.Bool{}
		wt.Collect = func(ctx context.Context) *agent.Snapshot {
			if slowFull.Load() {
				time.Sleep(probeWait) // fake clock: a probe waiting on a paused origin
			}
			return collect(ctx)
		}
		wt.Quick = collect
		start(t, wt)
		waitResult(t, results, "start-up run", 2*time.Second)

		slowFull.Store(true)
		w.set(finding("ORG004", agent.Error, "app.example.com"))
		ev.events <- dockernet.Event{Time: time.Now(), Type: "container", Action: "pause"}
		time.Sleep(wt.Debounce) // fake clock: the debounce passes
		synctest.Wait()         // the quick pass ran; the full run waits on its probe
		if !strings.Contains(log.String(), "finding_opened") {
			t.Fatalf("no finding_opened after the quick pass:\n%s", log.String())
		}
		// Logged by the quick pass: the full run is still collecting.
		select {
		case r := <-results:
			t.Fatalf("the full run (%s) finished before the quick pass logged the error", r.Trigger)
		default:
		}
		r := waitResult(t, results, "full run", 2*probeWait)
		if len(r.Changes) != 0 || len(r.Open) != 1 {
			t.Errorf("full run after the quick pass: %d changes, %d open; want 0 and 1", len(r.Changes), len(r.Open))
		}
	})
}

// TestWatcherJudgesEarlyEventsAgainstTheFirstSnapshot: on a busy host,
// another container's event that arrives while the start-up run is still
// collecting waits for that run's facts and is judged against them (here:
// unrelated, so no run), instead of counting as relevant because nothing
// was known yet.
func TestWatcherJudgesEarlyEventsAgainstTheFirstSnapshot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var (
			log      dockertest.SyncBuffer
			w        world
			ev       = newFakeEvents()
			results  = make(chan Result, 16)
			entered  = make(chan struct{})
			released = make(chan struct{})
		)
		w.set()
		wt := w.watcher(&log, results)
		cf := &dockernet.Container{ID: "cf-id", Name: "cloudflared"}
		first := true
		wt.Collect = func(context.Context) *agent.Snapshot {
			w.runs.Add(1)
			if first {
				first = false
				close(entered)
				<-released // the start-up run is still collecting
			}
			return &agent.Snapshot{Taken: time.Now(), Docker: agent.DockerFacts{
				Topology: dockernet.NewTopology([]*dockernet.Container{cf}, nil), Cloudflared: cf}}
		}
		wt.Events = ev.source
		start(t, wt)
		<-entered
		ev.events <- dockernet.Event{Time: time.Now(), Type: "container", Action: "die", ID: "other-id", Name: "ci-job-17"}
		close(released)
		waitResult(t, results, "start-up run", 2*time.Second)
		noResult(t, results, 10*wt.Debounce, "an unrelated event during the start-up run triggered a run")
		if n := w.runs.Load(); n != 1 {
			t.Errorf("runs = %d, want 1 (the start-up run only)", n)
		}
		// A relevant event is still acted on.
		ev.events <- dockernet.Event{Time: time.Now(), Type: "container", Action: "die", ID: cf.ID, Name: cf.Name}
		waitResult(t, results, "run for cloudflared's event", 2*time.Second)
	})
}
