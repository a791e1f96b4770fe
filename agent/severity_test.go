package agent

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSeverityTextRoundTrip(t *testing.T) {
	for _, s := range []Severity{Skipped, Pass, Info, Warn, Error} {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := back.UnmarshalText(b); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if back != s {
			t.Errorf("%v -> %q -> %v", s, b, back)
		}
	}
}

func TestSeverityStableSpellings(t *testing.T) {
	want := map[Severity]string{Skipped: "skipped", Pass: "pass", Info: "info", Warn: "warn", Error: "error"}
	for s, name := range want {
		if s.String() != name {
			t.Errorf("%d.String() = %q, want %q", int(s), s.String(), name)
		}
	}
	// In JSON a severity is its name, as scripts read it.
	b, err := json.Marshal(Finding{Severity: Warn})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"severity":"warn"`) {
		t.Errorf("JSON = %s", b)
	}
}

func TestParseSeverity(t *testing.T) {
	for in, want := range map[string]Severity{"ERROR": Error, " warn ": Warn, "warning": Warn, "Info": Info} {
		got, err := ParseSeverity(in)
		if err != nil || got != want {
			t.Errorf("ParseSeverity(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil || !strings.Contains(err.Error(), "fatal") {
		t.Errorf("ParseSeverity(fatal) error = %v, want one naming the input", err)
	}
	var s Severity
	if err := json.Unmarshal([]byte(`"bogus"`), &s); err == nil {
		t.Error("JSON accepted an unknown severity")
	}
	if got := Severity(42).String(); got != "severity(42)" {
		t.Errorf("out of range String() = %q", got)
	}
}
