package watch

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// LogChange writes one state change as one log line. The field names are the
// stable log schema documented in README.md: event, code, severity, hop,
// hostname, rule, service, message, fix, evidence (+ level and time from
// zerolog). Everything printed goes through the redactor first.
func LogChange(log zerolog.Logger, r *Redactor, c Change) {
	f := agent.RedactFinding(r, c.Finding)
	level := severityLevel(f.Severity)
	if c.Event == EventResolved {
		level = zerolog.InfoLevel
	}
	e := log.WithLevel(level)
	if e == nil {
		return
	}
	e = withFinding(e.Str("event", c.Event), f).Str("key", c.Finding.Key())
	switch c.Event {
	case EventChanged:
		if c.Previous != nil {
			prev := agent.RedactFinding(r, *c.Previous)
			e = e.Str("previous_severity", prev.Severity.String()).Str("previous_fix", prev.Fix)
		}
		e = e.Time("opened_at", c.OpenedAt)
	case EventResolved:
		e = e.Time("opened_at", c.OpenedAt)
	}
	e.Msg("")
}

// LogHeld writes one line for the findings a run began to hold because
// their facts went missing (Damping rule 4): which ones, and why. Nothing
// when there are none; later runs of the same outage log nothing.
func LogHeld(log zerolog.Logger, r *Redactor, held []Change) {
	if len(held) == 0 {
		return
	}
	e := log.Warn()
	if e == nil {
		return
	}
	var codes, keys, reasons []string
	seen := map[string]bool{}
	for _, c := range held {
		codes = append(codes, c.Finding.Code)
		keys = append(keys, r.String(c.Finding.Key()))
		if why := r.String(c.Reason); !seen[why] {
			seen[why] = true
			reasons = append(reasons, why)
		}
	}
	reason := strings.Join(reasons, "; ")
	e.Str("event", EventHeld).Strs("codes", codes).Strs("keys", keys).Str("reason", reason).
		Str("message", fmt.Sprintf("%d open finding(s) held, not resolved: the facts their checks need are missing (%s); "+
			"they stay open, unchanged, until the facts are back", len(held), reason)).
		Msg("")
}

// withFinding adds the finding fields of the schema. "message" is added as
// a field (not zerolog's Msg) so every event carries the same names.
func withFinding(e *zerolog.Event, f agent.Finding) *zerolog.Event {
	e = e.Str("code", f.Code).
		Str("severity", f.Severity.String()).
		Str("hop", f.Hop).
		Str("hostname", f.Hostname).
		Int("rule", f.Rule).
		Str("service", f.Service).
		Str("message", f.Message).
		Str("fix", f.Fix)
	ev := zerolog.Dict()
	keys := make([]string, 0, len(f.Evidence))
	for k := range f.Evidence {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ev = ev.Str(k, f.Evidence[k])
	}
	return e.Dict("evidence", ev)
}

// severityLevel maps a finding's severity to the log level of its line, so
// `level` filters work the way operators expect.
func severityLevel(s agent.Severity) zerolog.Level {
	switch s {
	case agent.Error:
		return zerolog.ErrorLevel
	case agent.Warn:
		return zerolog.WarnLevel
	}
	return zerolog.InfoLevel
}

// RunSummary describes one run for the debug-level run_summary line.
type RunSummary struct {
	Trigger   Trigger
	Started   time.Time
	Duration  time.Duration
	Summary   agent.Summary
	Open      int   // findings open after the run
	Changes   int   // state changes this run logged
	Connected *bool // tunnel connected, nil when unknown
	Quick     bool  // the quick pass after a Docker event (no probes, no API)
	// ProbesInFlight counts the origins whose probe the run did not wait
	// for (still running: last result reused, or pending).
	ProbesInFlight int
}

// LogSummary writes the run_summary line at debug level: invisible unless
// asked for, so a healthy steady state prints nothing.
func LogSummary(log zerolog.Logger, s RunSummary) {
	e := log.Debug()
	if e == nil {
		return
	}
	e = e.Str("event", EventRunSummary).
		Str("trigger", string(s.Trigger)).
		Time("started", s.Started).
		Float64("duration_seconds", s.Duration.Seconds()).
		Int("error", s.Summary.Error).
		Int("warn", s.Summary.Warn).
		Int("info", s.Summary.Info).
		Int("skipped", s.Summary.Skipped).
		Int("open", s.Open).
		Int("changes", s.Changes)
	if s.Quick {
		e = e.Bool("quick", true)
	}
	if s.ProbesInFlight > 0 {
		e = e.Int("probes_in_flight", s.ProbesInFlight)
	}
	if s.Connected != nil {
		e = e.Bool("connected", *s.Connected)
	}
	e.Msg("")
}
