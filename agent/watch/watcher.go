// Package watch is the sidecar loop: it re-runs collection and checks on an
// interval and at once on Docker events, keeps a damped state of the findings
// and logs only state changes (opened, changed, resolved) as JSON lines.
package watch

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Defaults of the sidecar loop.
const (
	DefaultInterval   = 30 * time.Second
	DefaultDebounce   = 500 * time.Millisecond
	DefaultConfirm    = 2 * time.Second
	DefaultRunTimeout = 2 * time.Minute
)

// Result is one finished run, as the HTTP endpoints show it.
type Result struct {
	Seq      int // 1 for the first run
	Trigger  Trigger
	Started  time.Time
	Duration time.Duration
	Snapshot *agent.Snapshot
	Findings []agent.Finding // what the checks said this run
	Open     []agent.Finding // the damped open findings after this run
	Changes  []Change        // the state changes this run logged
	// Crash is set when the run crashed (a bug): the other fields then
	// describe the last run that finished, and the state was kept.
	Crash string
}

// Watcher runs the checks again and again. Collect and Judge are the run
// (collect.Snapshot and agent.Run with checks.All in production; plain funcs in
// tests). Zero durations take the defaults.
type Watcher struct {
	Collect func(context.Context) *agent.Snapshot
	Judge   func(*agent.Snapshot) []agent.Finding
	// Events triggers runs on Docker events; nil means interval only.
	Events EventSource
	// Quick, when set, is a fast collection (no origin probes, no API)
	// run first after a Docker event so an error the event caused is
	// logged in about a second, before the full run (whose probes may
	// wait for timeouts) follows. See Damping rule 6.
	Quick func(context.Context) *agent.Snapshot
	// Probed ticks when an origin probe that a run did not wait for has
	// completed (Prober.Completed): a full run follows at once, so a slow
	// origin's verdict is logged as soon as it is known. nil: never.
	Probed <-chan struct{}

	Interval   time.Duration // periodic re-check
	Debounce   time.Duration // quiet time after an event before running
	Confirm    time.Duration // delay of the run that confirms a pending change
	RunTimeout time.Duration // bound on one run
	Damping    Damping       // zero value: DefaultDamping

	Log      zerolog.Logger // stdout: state changes and run summaries
	Diag     zerolog.Logger // stderr: the watcher's own troubles
	Redactor *Redactor      // nil: a Redactor with no known secrets
	// Publish receives every finished run (the HTTP endpoints read it).
	Publish func(Result)
	// SelfAddrs reads this process's own interface addresses (OwnAddrs in
	// production), so a sidecar stranded in cloudflared's old namespace is
	// told (AGT104); nil: not checked. SelfEvery is how often they are
	// re-read to notice it without a Docker event (0: DefaultSelfEvery).
	SelfAddrs func() ([]string, error)
	SelfEvery time.Duration

	// last is the latest full run's snapshot: events are judged relevant
	// against it (see Relevant).
	last atomic.Pointer[agent.Snapshot]
	// judged is closed once last is first set: an event that arrives
	// before (during the start-up run) waits for it, so another
	// container's churn on a busy host is not judged "relevant" just
	// because nothing was known yet.
	judged     chan struct{}
	judgedOnce sync.Once
	// hadMetrics: some full run read cloudflared's metrics server, so a run
	// that cannot has lost those facts (see lostFacts). Only Run's
	// goroutine touches it.
	hadMetrics bool
	sidecar    sidecarMemory
	// isSidecar: some run found tunneldoctor in cloudflared's namespace
	// (read by watchSelf's goroutine).
	isSidecar atomic.Bool
	// abort cancels the run in progress (set by runOnce): when the
	// sidecar's namespace loses its interfaces mid-run, every call of that
	// run would wait out its timeout, so it is dropped and a stranded pass
	// follows at once.
	abort atomic.Pointer[context.CancelFunc]
}

// Run loops until ctx ends. It returns ctx's error.
func (w *Watcher) Run(ctx context.Context) error {
	w.defaults()
	kicks := make(chan struct{}, 1)
	if w.Events != nil {
		w.judged = make(chan struct{})
		relevant := func(e dockernet.Event) bool {
			if w.last.Load() == nil {
				select {
				case <-w.judged:
				case <-ctx.Done():
					return false
				}
			}
			return Relevant(w.last.Load(), e)
		}
		go pumpEvents(ctx, w.Events, relevant, w.Diag, kicks)
	}
	if w.SelfAddrs != nil {
		go w.watchSelf(ctx, kicks)
	}

	var (
		state     State
		seq, good int                // runs started, runs finished
		interval  = time.NewTimer(0) // the start-up run
		confirm   = stoppedTimer()
		debounce  = stoppedTimer()
		probed    = stoppedTimer()
		firstKick time.Time
		trigger   = TriggerStart
	)
	defer interval.Stop()
	defer confirm.Stop()
	defer debounce.Stop()
	defer probed.Stop()

	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-kicks:
			// Debounce: wait for quiet, but never longer than 4 debounce
			// periods after the first event of a burst.
			now := time.Now()
			if firstKick.IsZero() {
				firstKick = now
			}
			wait := w.Debounce
			if limit := firstKick.Add(4 * w.Debounce); now.Add(wait).After(limit) {
				wait = max(limit.Sub(now), 0)
			}
			debounce.Reset(wait)
			continue
		case <-w.Probed:
			// Several slow probes often end together (they started
			// together): one run for the lot. An event run already due
			// (firstKick set) will see them.
			if firstKick.IsZero() {
				probed.Reset(probeSettle)
			}
			continue
		case <-probed.C:
			trigger = TriggerProbe
		case <-debounce.C:
			trigger, firstKick = TriggerEvent, time.Time{}
		case <-confirm.C:
			trigger = TriggerConfirm
		case <-interval.C:
			if seq > 0 {
				trigger = TriggerInterval
			}
		}

		if trigger == TriggerEvent && w.Quick != nil && good > 0 {
			if next, ok := w.runOnce(ctx, state, seq, trigger, pass{quick: true}); ok {
				state = next
			}
		}
		seq++
		next, ok := w.runOnce(ctx, state, seq, trigger, pass{first: good == 0})
		if ok {
			state, good = next, good+1
		}
		probed.Stop() // this run saw the probes that completed before it
		resetTimer(interval, w.Interval)
		if state.Pending() && w.Confirm < w.Interval {
			resetTimer(confirm, w.Confirm)
		} else {
			confirm.Stop()
		}
	}
}

// pass says which kind of run runOnce does.
type pass struct {
	first bool // the first run that finishes (Damping rule 1)
	quick bool // the quick pass after an event: logged, not published
}

// runOnce collects, judges, diffs and logs one run. A panic in the run is
// logged and the state kept: a crash is not evidence that problems went away.
func (w *Watcher) runOnce(ctx context.Context, prev State, seq int, trigger Trigger, p pass) (next State, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			crash := fmt.Sprint(r)
			w.Diag.Error().Str("panic", crash).Str("stack", firstLines(string(debug.Stack()), 16)).
				Msg("watch: a run crashed (a tunneldoctor bug); state kept, retrying on the next trigger")
			next, ok = prev, false
			if w.Publish != nil && !p.quick {
				w.Publish(Result{Seq: seq, Trigger: trigger, Started: time.Now(), Crash: crash})
			}
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, w.RunTimeout)
	defer cancel()
	abortCtx, abort := context.WithCancelCause(ctx)
	defer abort(nil)
	stop := context.CancelFunc(func() { abort(errStranded) })
	w.abort.Store(&stop)
	defer w.abort.Store(nil)
	ctx = abortCtx

	started := time.Now()
	collect := w.Collect
	if p.quick {
		collect = w.Quick
	}
	snap := w.strandedSnapshot(started)
	if snap == nil {
		snap = collect(ctx)
	}
	if errors.Is(context.Cause(ctx), errStranded) {
		// Its facts are cut short, not evidence: drop it, keep the state.
		w.Diag.Debug().Msg("watch: run dropped: own network namespace lost its interfaces mid-run")
		return prev, false
	}
	if !p.quick && snap != nil {
		w.last.Store(snap)
		if w.judged != nil {
			w.judgedOnce.Do(func() { close(w.judged) })
		}
	}
	w.Redactor.Add(agent.SnapshotSecrets(snap)...)
	w.fillSidecar(snap)
	findings := w.Judge(snap)
	run := RunInfo{At: started, Trigger: trigger, First: p.first, Partial: p.quick}
	if !p.quick {
		run.HoldHops = w.lostFacts(snap)
		run.HoldRules = run.HoldHops[agent.HopIngress]
	}
	next, changes := Diff(prev, findings, run, w.Damping)
	took := time.Since(started)

	var held []Change
	for _, c := range changes {
		if c.Event == EventHeld {
			held = append(held, c)
			continue
		}
		LogChange(w.Log, w.Redactor, c)
	}
	LogHeld(w.Log, w.Redactor, held)
	open := next.Open()
	var connected *bool
	inFlight := 0
	if snap != nil {
		connected = snap.Tunnel.Connected
		inFlight = len(snap.Probes.Pending)
		for _, r := range snap.Probes.Results {
			if !r.InFlight.IsZero() {
				inFlight++
			}
		}
	}
	LogSummary(w.Log, RunSummary{
		Trigger: trigger, Started: started, Duration: took, Summary: agent.Summarize(findings),
		Open: len(open), Changes: len(changes), Connected: connected, Quick: p.quick,
		ProbesInFlight: inFlight,
	})
	if w.Publish != nil && !p.quick {
		w.Publish(Result{
			Seq: seq, Trigger: trigger, Started: started, Duration: took,
			Snapshot: snap, Findings: findings, Open: open, Changes: changes,
		})
	}
	return next, true
}

// lostFacts names the hops whose facts this full run could not read though
// an earlier run did, with the reason. When cloudflared's metrics server
// stops answering, the live ingress (/config) and the connection state
// (/ready) are unknown: a finding about them, or about one of the rules,
// that this run did not see is not resolved, it is held (the ingress may
// have fallen back to a file that says something else).
func (w *Watcher) lostFacts(s *agent.Snapshot) map[string]string {
	if s == nil {
		return nil
	}
	if s.Cloudflared.MetricsAddr != "" {
		w.hadMetrics = true
		return nil
	}
	if !w.hadMetrics {
		return nil
	}
	why := "cloudflared's metrics server could not be read"
	if e := s.Cloudflared.MetricsError; e != "" {
		why += ": " + e
	} else if e := s.Cloudflared.Missing; e != "" {
		why += ": " + e
	}
	return map[string]string{agent.HopIngress: why, agent.HopTunnel: why}
}

func (w *Watcher) defaults() {
	if w.Interval <= 0 {
		w.Interval = DefaultInterval
	}
	if w.Debounce <= 0 {
		w.Debounce = DefaultDebounce
	}
	if w.Confirm <= 0 {
		w.Confirm = DefaultConfirm
	}
	if w.SelfEvery <= 0 {
		w.SelfEvery = DefaultSelfEvery
	}
	if w.RunTimeout <= 0 {
		w.RunTimeout = DefaultRunTimeout
	}
	if w.Damping == (Damping{}) {
		w.Damping = DefaultDamping()
	}
	if w.Redactor == nil {
		w.Redactor = NewRedactor()
	}
}

// probeSettle is how long the watcher waits after a slow probe completed
// before it re-runs, so probes that end together make one run.
const probeSettle = 100 * time.Millisecond

func stoppedTimer() *time.Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}

// resetTimer re-arms t. Since Go 1.23 Reset discards a pending tick, so no
// drain is needed.
func resetTimer(t *time.Timer, d time.Duration) { t.Reset(d) }

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
