package watch

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

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

func TestWatcherEventDrivenOpenAndResolve(t *testing.T) {
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
	// hour) and the error must open at once.
	down := finding("ORG001", agent.Error, "app.example.com")
	w.set(down)
	killed := time.Now()
	ev.events <- dockernet.Event{Time: time.Now(), Type: "container", Action: "die", Name: "web"}
	r := waitResult(t, results, "event run", 2*time.Second)
	if r.Trigger != TriggerEvent || len(r.Changes) != 1 || r.Changes[0].Event != EventOpened {
		t.Fatalf("event run: trigger %s, changes %+v; want one finding_opened", r.Trigger, r.Changes)
	}
	t.Logf("finding_opened %v after the event (debounce %v)", time.Since(killed).Round(time.Millisecond), wt.Debounce)
	if !strings.Contains(log.String(), `"event":"finding_opened"`) {
		t.Fatalf("opened line not logged:\n%s", log.String())
	}

	// It restarts: the start event runs, the miss is pending, a confirm run
	// follows within Confirm and resolves it.
	w.set()
	ev.events <- dockernet.Event{Time: time.Now(), Type: "container", Action: "start", Name: "web"}
	r = waitResult(t, results, "event run after restart", 2*time.Second)
	if len(r.Changes) != 0 {
		t.Fatalf("one miss must not resolve yet (damping), got %+v", r.Changes)
	}
	r = waitResult(t, results, "confirm run", 2*time.Second)
	if r.Trigger != TriggerConfirm || len(r.Changes) != 1 || r.Changes[0].Event != EventResolved {
		t.Fatalf("confirm run: trigger %s changes %+v; want finding_resolved", r.Trigger, r.Changes)
	}
	if got := strings.Count(log.String(), "\n"); got != 2 {
		t.Errorf("want exactly 2 log lines (opened, resolved), got %d:\n%s", got, log.String())
	}
}

func TestWatcherSteadyStateIsQuiet(t *testing.T) {
	var (
		log     dockertest.SyncBuffer
		w       world
		results = make(chan Result, 64)
	)
	w.set(finding("PRB010", agent.Warn, "slow.example.com"))
	wt := w.watcher(&log, results)
	wt.Interval = 10 * time.Millisecond
	cancel := start(t, wt)
	for i := 0; i < 10; i++ {
		waitResult(t, results, "interval run", 2*time.Second)
	}
	cancel()
	out := log.String()
	if strings.Count(out, "finding_opened") != 1 || strings.Count(out, "\n") != 1 {
		t.Fatalf("10 identical runs must log the finding once, got:\n%s", out)
	}
}

func TestWatcherDebouncesBursts(t *testing.T) {
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

	// compose up: a burst of 20 events in 50 ms is one run.
	for i := 0; i < 20; i++ {
		ev.events <- dockernet.Event{Time: time.Now(), Type: "container", Action: "start"}
		time.Sleep(2 * time.Millisecond)
	}
	waitResult(t, results, "burst run", 2*time.Second)
	select {
	case r := <-results:
		t.Fatalf("a burst of events ran the checks more than once (extra %s run)", r.Trigger)
	case <-time.After(300 * time.Millisecond):
	}
	if n := w.runs.Load(); n != 2 {
		t.Errorf("runs = %d, want 2 (start-up + one for the burst)", n)
	}
}

func TestWatcherReconnectsWithSince(t *testing.T) {
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

	last := time.Now().Round(0)
	ev.events <- dockernet.Event{Time: last, Type: "container", Action: "die"}
	waitResult(t, results, "event run", 2*time.Second)
	ev.errs <- errors.New("unexpected EOF") // the socket proxy closed the stream

	deadline := time.Now().Add(3 * time.Second)
	for len(ev.subscriptions()) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	subs := ev.subscriptions()
	if len(subs) < 2 {
		t.Fatalf("event stream not re-subscribed after an error (subscriptions: %d)", len(subs))
	}
	if !subs[1].After(last) || subs[1].Sub(last) > time.Millisecond {
		t.Errorf("re-subscribed with since=%v, want just after the last event %v", subs[1], last)
	}
	// Events replayed after the reconnect still trigger a run.
	ev.events <- dockernet.Event{Time: time.Now(), Type: "network", Action: "disconnect"}
	if r := waitResult(t, results, "run after reconnect", 2*time.Second); r.Trigger != TriggerEvent {
		t.Errorf("run after reconnect: trigger %s, want event", r.Trigger)
	}
}

func TestWatcherSurvivesACrashingRun(t *testing.T) {
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
}

// TestWatcherQuickPassLogsBeforeSlowProbes: after an event, the quick pass
// (no probes) logs the error while the full run is still waiting on a slow
// probe.
func TestWatcherQuickPassLogsBeforeSlowProbes(t *testing.T) {
	var (
		log     dockertest.SyncBuffer
		w       world
		ev      = newFakeEvents()
		results = make(chan Result, 16)
	)
	w.set()
	wt := w.watcher(&log, results)
	wt.Events = ev.source
	collect := wt.Collect
	slowFull := atomic.Bool{}
	wt.Collect = func(ctx context.Context) *agent.Snapshot {
		if slowFull.Load() {
			time.Sleep(800 * time.Millisecond) // a probe waiting on a paused origin
		}
		return collect(ctx)
	}
	wt.Quick = collect
	start(t, wt)
	waitResult(t, results, "start-up run", 2*time.Second)

	slowFull.Store(true)
	w.set(finding("ORG004", agent.Error, "app.example.com"))
	ev.events <- dockernet.Event{Time: time.Now(), Type: "container", Action: "pause"}
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(log.String(), "finding_opened") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(log.String(), "finding_opened") {
		t.Fatalf("no finding_opened:\n%s", log.String())
	}
	// Logged by the quick pass: the full run is still collecting.
	select {
	case r := <-results:
		t.Fatalf("the full run (%s) finished before the quick pass logged the error", r.Trigger)
	default:
	}
	r := waitResult(t, results, "full run", 3*time.Second)
	if len(r.Changes) != 0 || len(r.Open) != 1 {
		t.Errorf("full run after the quick pass: %d changes, %d open; want 0 and 1", len(r.Changes), len(r.Open))
	}
}
