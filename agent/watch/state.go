package watch

import (
	"sort"
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// Event names of the log schema. They are stable: log pipelines match on them.
const (
	EventOpened     = "finding_opened"
	EventChanged    = "finding_changed"
	EventResolved   = "finding_resolved"
	EventRunSummary = "run_summary"
	// EventHeld is one line per outage of facts: the open findings whose
	// facts went missing are held (Damping rule 4), not resolved.
	EventHeld = "findings_held"
)

// Trigger says why a run happened.
type Trigger string

const (
	TriggerStart    Trigger = "start"    // the first run after start-up
	TriggerInterval Trigger = "interval" // the periodic re-check
	TriggerEvent    Trigger = "event"    // a Docker event (die, start, oom, health, network)
	TriggerConfirm  Trigger = "confirm"  // a quick re-run to confirm a pending change
	TriggerProbe    Trigger = "probe"    // a slow origin's probe completed with news (see Prober)
)

// Damping is the flap-damping rule. The rule, in full:
//
//  1. The first run opens everything it finds: there is no history to flap
//     against, and a sidecar should say what is wrong as soon as it starts.
//  2. A new finding opens once OpenAfter consecutive runs have seen it. An
//     error seen by a run that a Docker event triggered opens at once: the
//     event (a container died, went unhealthy) already corroborates it.
//  3. An open finding resolves once ResolveAfter consecutive runs have not
//     seen it.
//  4. While a check is skipped (its facts are missing, e.g. Docker is
//     unreachable) its open findings are held as they are: missing facts are
//     not evidence that a problem went away. The same holds for the open
//     findings of a hop whose facts the run lost (RunInfo.HoldHops: e.g.
//     cloudflared's metrics server stopped answering, so the live ingress
//     and /ready are unknown). Holding starts with one findings_held line
//     (not one per finding, not one per run); a held finding seen again, or
//     missed once the facts are back, is judged as usual.
//  5. An open finding logs finding_changed when its severity or its fix
//     changes; messages and evidence may carry timings and would make every
//     run a change.
//  6. A partial run (the quick pass right after a Docker event, without
//     origin probes or API facts) only opens errors (rule 2) and holds
//     everything it did not see; the full run that follows does the rest.
//
// The watcher turns pending states (seen once, missed once) into a confirm
// run a few seconds later, so damping costs seconds, not an interval.
type Damping struct {
	OpenAfter    int // runs that must see a finding before it opens (>= 1)
	ResolveAfter int // runs that must miss an open finding before it resolves (>= 1)
	// ErrorsOpenOnEvent lets an error seen by an event-triggered run open at once.
	ErrorsOpenOnEvent bool
}

// DefaultDamping is the documented default: two runs to open or resolve,
// errors after a Docker event open at once.
func DefaultDamping() Damping {
	return Damping{OpenAfter: 2, ResolveAfter: 2, ErrorsOpenOnEvent: true}
}

// Tracked is what the state remembers about one finding key.
type Tracked struct {
	Finding  agent.Finding
	Open     bool
	Seen     int       // consecutive runs that saw it
	Missed   int       // consecutive runs that did not (while open)
	Since    time.Time // first seen in the current streak
	OpenedAt time.Time // zero while not open
	// Held is why an open finding is held (its facts are missing), "" when
	// it is judged as usual.
	Held string
}

// State is the damped view of the findings, keyed by agent.Finding.Key.
// Diff never modifies a State it is given.
type State map[string]Tracked

// Pending reports whether some finding waits for another run to open or
// resolve: the watcher then schedules a confirm run.
func (s State) Pending() bool {
	for _, t := range s {
		if !t.Open || t.Missed > 0 {
			return true
		}
	}
	return false
}

// Open returns the open findings, worst first.
func (s State) Open() []agent.Finding {
	var out []agent.Finding
	for _, t := range s {
		if t.Open {
			out = append(out, t.Finding)
		}
	}
	agent.SortFindings(out)
	return out
}

// RunInfo describes the run whose findings are diffed.
type RunInfo struct {
	At      time.Time
	Trigger Trigger
	First   bool // no earlier run: rule 1 applies
	// Partial marks a quick pass that saw only part of the facts: only its
	// errors count, and what it did not see is held (rule 6).
	Partial bool
	// HoldHops names the hops whose facts this run lost, with the reason:
	// their open findings that this run did not see are held (rule 4).
	HoldHops map[string]string
	// HoldRules is set when the run lost the live ingress rules, with the
	// reason: the open findings about one rule (Rule >= 0) that this run
	// did not see are held, whatever their hop (rule 4).
	HoldRules string
}

// Change is one state change, logged as one line.
type Change struct {
	Event    string // EventOpened, EventChanged, EventResolved or EventHeld
	Finding  agent.Finding
	Previous *agent.Finding // the finding before a change, or the last seen before resolving
	OpenedAt time.Time      // when the finding opened (resolved and changed events)
	Reason   string         // EventHeld: which facts are missing
}

// Diff applies one run's findings to the previous state and returns the new
// state and the changes to log, in a stable order (worst first). It is a pure
// function: same inputs, same outputs.
func Diff(prev State, findings []agent.Finding, run RunInfo, d Damping) (State, []Change) {
	d = d.normalized()
	current, skipped := index(findings)
	if run.Partial {
		for k, f := range current {
			if f.Severity < agent.Error {
				delete(current, k)
			}
		}
	}
	next := make(State, len(prev)+len(current))
	var changes []Change

	for key, f := range current {
		t, known := prev[key]
		if !known || (!t.Open && t.Seen == 0) {
			t = Tracked{Since: run.At}
		}
		t.Seen++
		t.Missed = 0
		t.Held = ""
		old := t.Finding
		t.Finding = f
		switch {
		case t.Open:
			if old.Severity != f.Severity || old.Fix != f.Fix {
				was := old
				changes = append(changes, Change{Event: EventChanged, Finding: f, Previous: &was, OpenedAt: t.OpenedAt})
			}
		case run.First || t.Seen >= d.OpenAfter || (d.ErrorsOpenOnEvent && run.Trigger == TriggerEvent && f.Severity == agent.Error):
			t.Open, t.OpenedAt = true, run.At
			changes = append(changes, Change{Event: EventOpened, Finding: f, OpenedAt: run.At})
		}
		next[key] = t
	}

	for key, t := range prev {
		if _, ok := current[key]; ok {
			continue
		}
		if run.Partial {
			next[key] = t // rule 6: not looked at, no verdict
			continue
		}
		why, lost := skipped[t.Finding.Code]
		if !lost {
			why = run.HoldHops[t.Finding.Hop]
			if why == "" && t.Finding.Rule >= 0 {
				why = run.HoldRules
			}
			lost = why != ""
		}
		if lost {
			// Rule 4: no facts, no verdict.
			if t.Open && t.Held == "" {
				t.Held = why
				changes = append(changes, Change{Event: EventHeld, Finding: t.Finding, OpenedAt: t.OpenedAt, Reason: why})
			}
			next[key] = t
			continue
		}
		t.Held = ""
		if !t.Open {
			continue // seen once, gone: a blip never logged
		}
		t.Seen = 0
		t.Missed++
		if t.Missed >= d.ResolveAfter {
			last := t.Finding
			changes = append(changes, Change{Event: EventResolved, Finding: last, Previous: &last, OpenedAt: t.OpenedAt})
			continue
		}
		next[key] = t
	}

	sortChanges(changes)
	return next, changes
}

// index keeps the findings the state tracks (info and worse), the worst of
// any duplicate key, and notes which checks were skipped in this run, and
// why.
func index(findings []agent.Finding) (map[string]agent.Finding, map[string]string) {
	current := make(map[string]agent.Finding, len(findings))
	skipped := make(map[string]string)
	for _, f := range findings {
		if f.Severity == agent.Skipped {
			skipped[f.Code] = skipReason(f)
			continue
		}
		if f.Severity < agent.Info {
			continue
		}
		key := f.Key()
		if have, ok := current[key]; !ok || f.Severity > have.Severity {
			current[key] = f
		}
	}
	return current, skipped
}

func (d Damping) normalized() Damping {
	if d.OpenAfter < 1 {
		d.OpenAfter = 1
	}
	if d.ResolveAfter < 1 {
		d.ResolveAfter = 1
	}
	return d
}

// sortChanges orders resolved before changed before opened, then worst
// first, then by key, so a log reads "what got better, what got worse".
func sortChanges(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if eventRank(a.Event) != eventRank(b.Event) {
			return eventRank(a.Event) < eventRank(b.Event)
		}
		if a.Finding.Severity != b.Finding.Severity {
			return a.Finding.Severity > b.Finding.Severity
		}
		return a.Finding.Key() < b.Finding.Key()
	})
}

func eventRank(event string) int {
	switch event {
	case EventResolved:
		return 0
	case EventChanged:
		return 1
	case EventHeld:
		return 3
	}
	return 2
}

// skipReason is a skipped finding's missing sources and why, from its
// evidence ("docker: Docker API at ... unreachable"), else its message.
func skipReason(f agent.Finding) string {
	var parts []string
	for k, v := range f.Evidence {
		if src, ok := strings.CutPrefix(k, agent.EvidenceMissingPrefix); ok {
			parts = append(parts, src+": "+v)
		}
	}
	if len(parts) == 0 {
		return f.Message
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}
