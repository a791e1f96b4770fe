// Package status serves the sidecar's HTTP endpoints: /healthz, /readyz,
// /metrics (Prometheus text format) and / (a self-refreshing status page).
// It only reads the latest run the watcher published.
package status

import (
	"sync"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/watch"
)

// Store holds the latest run for the HTTP handlers. The watcher publishes
// into it; every handler reads a consistent copy.
type Store struct {
	redactor *watch.Redactor
	started  time.Time

	mu      sync.RWMutex
	latest  *watch.Result
	runs    map[watch.Trigger]int
	crashes int
	build   Build
}

// NewStore returns an empty store. Findings are redacted as they are stored,
// so no page or metric label can show a secret.
func NewStore(r *watch.Redactor) *Store {
	if r == nil {
		r = watch.NewRedactor()
	}
	return &Store{redactor: r, started: time.Now(), runs: map[watch.Trigger]int{}}
}

// Publish stores a finished run; use it as Watcher.Publish. A crashed run
// keeps the last good run's facts and marks them with the crash.
func (s *Store) Publish(r watch.Result) {
	r.Findings = s.redactAll(r.Findings)
	r.Open = s.redactAll(r.Open)
	r.Changes = nil // already logged; the handlers do not need them
	r.Crash = s.redactor.String(r.Crash)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs[r.Trigger]++
	if r.Crash != "" {
		s.crashes++
		if s.latest != nil {
			last := *s.latest
			last.Crash = r.Crash
			s.latest = &last
			return
		}
	}
	s.latest = &r
}

// View is what the handlers render: the latest run (nil before the first
// finished) and the run counts by trigger.
type View struct {
	Latest  *watch.Result
	Runs    map[watch.Trigger]int
	Crashes int // runs that crashed since start
	Started time.Time
	Build   Build // the running binary (tunneldoctor_build_info)
}

// View returns a copy of the store's state.
func (s *Store) View() View {
	s.mu.RLock()
	defer s.mu.RUnlock()
	runs := make(map[watch.Trigger]int, len(s.runs))
	for k, v := range s.runs {
		runs[k] = v
	}
	return View{Latest: s.latest, Runs: runs, Crashes: s.crashes, Started: s.started, Build: s.build}
}

// Redact is the last pass over a rendered page or metrics body: whatever
// the snapshot carried (a command line, a service URL, a log line) leaves
// with the run's secrets replaced.
func (s *Store) Redact(b []byte) []byte { return s.redactor.Bytes(b) }

// RedactJSON is Redact for a JSON body (/readyz): string by string, so it
// stays JSON, with unsafe characters written as \u escapes.
func (s *Store) RedactJSON(b []byte) []byte { return s.redactor.JSON(b) }

func (s *Store) redactAll(fs []agent.Finding) []agent.Finding {
	out := make([]agent.Finding, len(fs))
	for i, f := range fs {
		out[i] = agent.RedactFinding(s.redactor, f)
	}
	return out
}
