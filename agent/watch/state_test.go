package watch

import (
	"reflect"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

func finding(code string, sev agent.Severity, host string) agent.Finding {
	return agent.Finding{
		Code: code, Severity: sev, Hop: agent.HopOrigin, Hostname: host, Rule: 0,
		Service: "http://web:8080", Message: code + " about " + host, Fix: "fix " + code,
	}
}

// runs feeds consecutive runs through Diff and returns the events of each.
func runs(t *testing.T, d Damping, triggers []Trigger, batches ...[]agent.Finding) [][]string {
	t.Helper()
	var (
		state State
		out   [][]string
		at    = time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	)
	for i, b := range batches {
		trig := TriggerInterval
		if i < len(triggers) {
			trig = triggers[i]
		}
		var changes []Change
		state, changes = Diff(state, b, RunInfo{At: at, Trigger: trig, First: i == 0}, d)
		var evs []string
		for _, c := range changes {
			evs = append(evs, c.Event+" "+c.Finding.Code)
		}
		out = append(out, evs)
		at = at.Add(30 * time.Second)
	}
	return out
}

func TestDiffDamping(t *testing.T) {
	healthy := []agent.Finding{}
	down := []agent.Finding{finding("ORG001", agent.Error, "app.example.com")}
	warn := []agent.Finding{finding("PRB010", agent.Warn, "app.example.com")}
	skippedORG := []agent.Finding{{Code: "ORG001", Severity: agent.Skipped, Rule: agent.NoRule, Message: "skipped: docker unreachable"}}

	tests := []struct {
		name     string
		triggers []Trigger
		batches  [][]agent.Finding
		want     [][]string
	}{
		{
			name:    "first run opens what it finds",
			batches: [][]agent.Finding{down},
			want:    [][]string{{"finding_opened ORG001"}},
		},
		{
			name:    "healthy steady state logs nothing",
			batches: [][]agent.Finding{healthy, healthy, healthy, healthy},
			want:    [][]string{nil, nil, nil, nil},
		},
		{
			name:    "same finding is not repeated every run",
			batches: [][]agent.Finding{down, down, down, down},
			want:    [][]string{{"finding_opened ORG001"}, nil, nil, nil},
		},
		{
			name:    "interval run needs two sightings to open",
			batches: [][]agent.Finding{healthy, warn, warn, warn},
			want:    [][]string{nil, nil, {"finding_opened PRB010"}, nil},
		},
		{
			name:    "one-run blip is never logged",
			batches: [][]agent.Finding{healthy, down, healthy, healthy},
			want:    [][]string{nil, nil, nil, nil},
		},
		{
			name:     "error after a docker event opens at once",
			triggers: []Trigger{TriggerStart, TriggerEvent},
			batches:  [][]agent.Finding{healthy, down},
			want:     [][]string{nil, {"finding_opened ORG001"}},
		},
		{
			name:     "warning after a docker event still waits for a second run",
			triggers: []Trigger{TriggerStart, TriggerEvent, TriggerConfirm},
			batches:  [][]agent.Finding{healthy, warn, warn},
			want:     [][]string{nil, nil, {"finding_opened PRB010"}},
		},
		{
			name:    "resolves after two runs without it",
			batches: [][]agent.Finding{down, healthy, healthy, healthy},
			want:    [][]string{{"finding_opened ORG001"}, nil, {"finding_resolved ORG001"}, nil},
		},
		{
			name:    "a single miss does not resolve (flapping damped)",
			batches: [][]agent.Finding{down, healthy, down, healthy, down},
			want:    [][]string{{"finding_opened ORG001"}, nil, nil, nil, nil},
		},
		{
			name:    "skipped check holds its open findings, saying so once",
			batches: [][]agent.Finding{down, skippedORG, skippedORG, skippedORG, down},
			want:    [][]string{{"finding_opened ORG001"}, {"findings_held ORG001"}, nil, nil, nil},
		},
		{
			name: "severity change is a change, not open+resolve",
			batches: [][]agent.Finding{down, {func() agent.Finding {
				f := finding("ORG001", agent.Warn, "app.example.com")
				return f
			}()}},
			want: [][]string{{"finding_opened ORG001"}, {"finding_changed ORG001"}},
		},
		{
			name: "message-only change (timings) is not logged",
			batches: [][]agent.Finding{down, {func() agent.Finding {
				f := finding("ORG001", agent.Error, "app.example.com")
				f.Message = "took 3.2s"
				f.Evidence = map[string]string{"connect_ms": "3200"}
				return f
			}()}},
			want: [][]string{{"finding_opened ORG001"}, nil},
		},
		{
			name: "skipped and pass findings are not state",
			batches: [][]agent.Finding{
				{{Code: "CF001", Severity: agent.Skipped, Rule: agent.NoRule}, {Code: "NET001", Severity: agent.Pass, Rule: agent.NoRule}},
				{},
			},
			want: [][]string{nil, nil},
		},
		{
			name:    "resolved before opened in one run, worst first",
			batches: [][]agent.Finding{down, warn, warn},
			want:    [][]string{{"finding_opened ORG001"}, nil, {"finding_resolved ORG001", "finding_opened PRB010"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runs(t, DefaultDamping(), tc.triggers, tc.batches...)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("events per run:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestDiffIsPure(t *testing.T) {
	down := []agent.Finding{finding("ORG001", agent.Error, "a.example.com")}
	at := time.Unix(1_800_000_000, 0)
	s1, _ := Diff(nil, down, RunInfo{At: at, First: true}, DefaultDamping())
	snapshot := map[string]Tracked{}
	for k, v := range s1 {
		snapshot[k] = v
	}
	s2a, c2a := Diff(s1, nil, RunInfo{At: at.Add(time.Minute)}, DefaultDamping())
	s2b, c2b := Diff(s1, nil, RunInfo{At: at.Add(time.Minute)}, DefaultDamping())
	if !reflect.DeepEqual(map[string]Tracked(s1), snapshot) {
		t.Fatalf("Diff modified the state it was given")
	}
	if !reflect.DeepEqual(s2a, s2b) || !reflect.DeepEqual(c2a, c2b) {
		t.Fatalf("Diff is not deterministic")
	}
	if !s2a.Pending() {
		t.Errorf("an open finding missed once must be pending (a confirm run is due)")
	}
}

func TestDiffKeysTellFindingsApart(t *testing.T) {
	a := finding("ORG001", agent.Error, "a.example.com")
	b := finding("ORG001", agent.Error, "b.example.com")
	st, ch := Diff(nil, []agent.Finding{a, b}, RunInfo{At: time.Unix(1_800_000_000, 0), First: true}, DefaultDamping())
	if len(ch) != 2 || len(st.Open()) != 2 {
		t.Fatalf("two hostnames, one code: want 2 opened, got %d changes, %d open", len(ch), len(st.Open()))
	}
	// b resolves while a stays.
	st, _ = Diff(st, []agent.Finding{a}, RunInfo{}, DefaultDamping())
	_, ch = Diff(st, []agent.Finding{a}, RunInfo{}, DefaultDamping())
	if len(ch) != 1 || ch[0].Event != EventResolved || ch[0].Finding.Hostname != "b.example.com" {
		t.Fatalf("want b.example.com resolved, got %+v", ch)
	}
	if ch[0].OpenedAt.IsZero() {
		t.Errorf("a resolved change must say when the finding opened")
	}
}

func TestDampingOneRun(t *testing.T) {
	d := Damping{OpenAfter: 1, ResolveAfter: 1}
	got := runs(t, d, nil, nil, []agent.Finding{finding("PRB001", agent.Warn, "x")}, nil)
	want := [][]string{nil, {"finding_opened PRB001"}, {"finding_resolved PRB001"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q want %q", got, want)
	}
}

func TestDiffPartialRun(t *testing.T) {
	at := time.Unix(1_800_000_000, 0)
	d := DefaultDamping()
	down := finding("ORG001", agent.Error, "a.example.com")
	slow := finding("PRB010", agent.Warn, "b.example.com")
	open := finding("NET001", agent.Warn, "c.example.com")

	st, _ := Diff(nil, []agent.Finding{open}, RunInfo{At: at, First: true}, d)
	// The quick pass after an event sees the error and a warning, but not
	// the open NET001 (its facts were not collected).
	st, ch := Diff(st, []agent.Finding{down, slow}, RunInfo{At: at.Add(time.Second), Trigger: TriggerEvent, Partial: true}, d)
	if len(ch) != 1 || ch[0].Event != EventOpened || ch[0].Finding.Code != "ORG001" {
		t.Fatalf("quick pass: want only ORG001 opened, got %+v", ch)
	}
	if _, ok := st[open.Key()]; !ok || st[open.Key()].Missed != 0 {
		t.Fatalf("a partial run must hold what it did not see: %+v", st[open.Key()])
	}
	if _, ok := st[slow.Key()]; ok {
		t.Fatalf("a partial run must not count warning sightings")
	}
	// The full run right after: the warning is seen once (pending), not opened.
	_, ch = Diff(st, []agent.Finding{down, slow, open}, RunInfo{At: at.Add(2 * time.Second), Trigger: TriggerEvent}, d)
	if len(ch) != 0 {
		t.Fatalf("full run after the quick pass: want no change, got %+v", ch)
	}
}

// BenchmarkDiff: one run of a large setup (200 rules, 3 findings each)
// against the previous state.
func BenchmarkDiff(b *testing.B) {
	var fs []agent.Finding
	for i := 0; i < 600; i++ {
		fs = append(fs, agent.Finding{Code: "PRB0" + string(rune('1'+i%3)), Severity: agent.Warn, Rule: i / 3, Hostname: "h.example.com"})
	}
	st, _ := Diff(nil, fs, RunInfo{First: true}, DefaultDamping())
	b.ReportAllocs()
	for b.Loop() {
		Diff(st, fs, RunInfo{Trigger: TriggerInterval}, DefaultDamping())
	}
}

// TestDiffHoldsLostHops: cloudflared's metrics server stops answering
// mid-watch, the ingress falls back to a file without the loopback rule and
// TUN014 (file differs from /config) cannot be judged: ING022 and TUN014 are
// held, not resolved, with one held change; a finding of another hop still
// resolves; once the facts are back, a finding still missing resolves as
// usual.
func TestDiffHoldsLostHops(t *testing.T) {
	ing := agent.Finding{Code: "ING022", Severity: agent.Info, Hop: agent.HopIngress, Rule: 1, Message: "localhost"}
	tun := agent.Finding{Code: "TUN014", Severity: agent.Warn, Hop: agent.HopIngress, Rule: agent.NoRule, Message: "file changed"}
	org := finding("ORG001", agent.Error, "app.example.com")
	lost := map[string]string{agent.HopIngress: "metrics down", agent.HopTunnel: "metrics down"}
	at := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	var state State
	step := func(fs []agent.Finding, hold map[string]string) []string {
		t.Helper()
		var changes []Change
		state, changes = Diff(state, fs, RunInfo{At: at, Trigger: TriggerInterval, First: at.Minute() == 0, HoldHops: hold}, DefaultDamping())
		at = at.Add(time.Minute)
		var evs []string
		for _, c := range changes {
			evs = append(evs, c.Event+" "+c.Finding.Code)
			if c.Event == EventHeld && c.Reason != "metrics down" {
				t.Errorf("held reason %q", c.Reason)
			}
		}
		return evs
	}
	if got := step([]agent.Finding{ing, tun, org}, nil); len(got) != 3 {
		t.Fatalf("first run: %q", got)
	}
	for i, want := range [][]string{
		{"findings_held TUN014", "findings_held ING022"}, // metrics down: held, one change each, logged as one line
		{"finding_resolved ORG001"},                      // other hops are judged as usual
		nil,                                              // still down: nothing more
	} {
		if got := step(nil, lost); !reflect.DeepEqual(got, want) {
			t.Errorf("outage run %d: got %q, want %q", i+1, got, want)
		}
	}
	if open := state.Open(); len(open) != 2 || open[0].Message != "file changed" {
		t.Errorf("held findings must stay open and unchanged: %+v", open)
	}
	// Facts back: ING022 is seen again (stays open, no line); TUN014 is
	// gone and resolves after the usual two runs.
	if got := step([]agent.Finding{ing}, nil); got != nil {
		t.Errorf("facts back, first run: %q", got)
	}
	if got := step([]agent.Finding{ing}, nil); !reflect.DeepEqual(got, []string{"finding_resolved TUN014"}) {
		t.Errorf("facts back, second run: %q", got)
	}
}
