package agent

import (
	"strings"
	"testing"
)

func TestRunIsolatesAPanickingCheck(t *testing.T) {
	s := &Snapshot{}
	// A check that forgets the config may be nil: a runtime panic, as a real
	// bug would cause.
	crash := Check{Code: "TST001", Title: "crashes", Hop: HopNetwork, Run: func(s *Snapshot) []Finding {
		return []Finding{{Message: s.Ingress.Config.Path}}
	}}
	after := Check{Code: "TST002", Title: "runs after", Hop: HopOrigin, Run: func(*Snapshot) []Finding {
		return []Finding{{Severity: Warn, Rule: 3, Message: "still judged"}}
	}}
	got := Run(s, []Check{crash, after})
	if len(got) != 2 {
		t.Fatalf("got %d findings, want 2: %+v", len(got), got)
	}
	p := got[0]
	if p.Code != CodeCheckPanicked || p.Severity != Error || p.Hop != HopNetwork {
		t.Errorf("panic finding = %+v, want %s error on hop network", p, CodeCheckPanicked)
	}
	if p.Evidence["check"] != "TST001" || !strings.Contains(p.Evidence["panic"], "nil pointer dereference") {
		t.Errorf("panic evidence does not name the check and the panic: %v", p.Evidence)
	}
	if !strings.Contains(p.Message, "TST001") {
		t.Errorf("message does not name the crashed check: %q", p.Message)
	}
	// The next check ran, and got its code and hop filled in by the runner.
	w := got[1]
	if w.Code != "TST002" || w.Hop != HopOrigin || w.Message != "still judged" {
		t.Errorf("following check's finding = %+v", w)
	}
}

func TestRunSkipsChecksWhoseFactsAreMissing(t *testing.T) {
	s := &Snapshot{}
	s.Docker.Missing = "Docker socket /var/run/docker.sock: permission denied"
	s.Probes.Missing = "--no-probe was given"
	called := false
	c := Check{Code: "TST003", Title: "Origin on a shared network", Hop: HopNetwork,
		Needs: []string{SourceIngress, SourceDocker, SourceProbes},
		Run:   func(*Snapshot) []Finding { called = true; return nil }}
	got := Run(s, []Check{c})
	if called {
		t.Fatal("Run called a check whose facts are missing")
	}
	if len(got) != 1 {
		t.Fatalf("got %d findings, want 1 skipped", len(got))
	}
	f := got[0]
	if f.Severity != Skipped || f.Code != "TST003" || f.Hop != HopNetwork || f.Rule != NoRule {
		t.Errorf("skipped finding = %+v", f)
	}
	for _, want := range []string{"docker: Docker socket /var/run/docker.sock: permission denied", "probes: --no-probe was given"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks the reason %q", f.Message, want)
		}
	}
	if f.Evidence[EvidenceMissingPrefix+SourceDocker] != s.Docker.Missing || f.Evidence[EvidenceMissingPrefix+SourceProbes] != s.Probes.Missing {
		t.Errorf("evidence does not carry each missing source's reason: %v", f.Evidence)
	}
	if _, ok := f.Evidence[EvidenceMissingPrefix+SourceIngress]; ok {
		t.Error("an available source is reported missing")
	}
}

func TestRunCallsChecksWhoseFactsArePresent(t *testing.T) {
	s := &Snapshot{}
	c := Check{Code: "TST004", Hop: HopIngress, Needs: []string{SourceIngress},
		Run: func(*Snapshot) []Finding { return []Finding{{Severity: Info, Message: "ran"}} }}
	got := Run(s, []Check{c})
	if len(got) != 1 || got[0].Message != "ran" {
		t.Fatalf("got %+v", got)
	}
}

func TestRunUnknownSourceIsSkippedNotCalled(t *testing.T) {
	c := Check{Code: "TST005", Needs: []string{"dokcer"}, Run: func(*Snapshot) []Finding {
		t.Error("called with an unknown fact source")
		return nil
	}}
	got := Run(&Snapshot{}, []Check{c})
	if len(got) != 1 || got[0].Severity != Skipped || !strings.Contains(got[0].Message, "unknown fact source dokcer") {
		t.Fatalf("got %+v", got)
	}
}

func TestRunSortsWorstFirst(t *testing.T) {
	c := Check{Code: "TST006", Run: func(*Snapshot) []Finding {
		return []Finding{
			{Severity: Info, Rule: 0}, {Severity: Error, Rule: 2}, {Severity: Warn, Rule: 1}, {Severity: Error, Rule: 1},
		}
	}}
	got := Run(&Snapshot{}, []Check{c})
	var order []string
	for _, f := range got {
		order = append(order, f.Severity.String()+"#"+string(rune('0'+f.Rule)))
	}
	if strings.Join(order, " ") != "error#1 error#2 warn#1 info#0" {
		t.Errorf("order = %v", order)
	}
}

func TestExitCode(t *testing.T) {
	f := func(sevs ...Severity) []Finding {
		var fs []Finding
		for _, s := range sevs {
			fs = append(fs, Finding{Severity: s})
		}
		return fs
	}
	cases := []struct {
		name     string
		findings []Finding
		failOn   Severity
		want     int
	}{
		{"nothing", nil, Warn, ExitHealthy},
		{"passes, infos and skips", f(Pass, Info, Skipped), Warn, ExitHealthy},
		{"a warning", f(Info, Warn), Warn, ExitWarnings},
		{"an error", f(Warn, Error, Info), Warn, ExitErrors},
		{"warning under --fail-on error", f(Warn, Info), Error, ExitHealthy},
		{"error under --fail-on error", f(Warn, Error), Error, ExitErrors},
		{"only skipped", f(Skipped, Skipped), Warn, ExitHealthy},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ExitCode(c.findings, c.failOn); got != c.want {
				t.Errorf("ExitCode = %d, want %d", got, c.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	fs := []Finding{{Severity: Error}, {Severity: Error}, {Severity: Warn}, {Severity: Info}, {Severity: Skipped}, {Severity: Pass}}
	want := Summary{Error: 2, Warn: 1, Info: 1, Skipped: 1}
	if got := Summarize(fs); got != want {
		t.Errorf("Summarize = %+v, want %+v", got, want)
	}
}
