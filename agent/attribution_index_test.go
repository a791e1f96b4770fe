package agent

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// naiveAttribute is Attribute as it was: every finding tried on every path.
func naiveAttribute(s *Snapshot, findings []Finding) []PathVerdict {
	got := Attribute(s, findings)
	if len(got) == 0 {
		return got
	}
	// The path list (known and extra) is Attribute's; judge findings anew.
	paths := make([]PathVerdict, len(got))
	for i, p := range got {
		paths[i] = PathVerdict{Rule: p.Rule, Hostname: p.Hostname, Path: p.Path, Service: p.Service}
		for _, f := range findings {
			if f.Severity != Pass && BelongsTo(f, p.Rule, p.Hostname) {
				paths[i].Findings = append(paths[i].Findings, f)
			}
		}
	}
	return paths
}

// TestAttributeIndexMatchesBelongsTo: the indexed attribution gives every
// path exactly the findings BelongsTo gives it, in order, with and without
// known rules, for findings about rules, hostnames, both and neither.
func TestAttributeIndexMatchesBelongsTo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		var s *Snapshot
		if round%3 != 0 {
			cfg := &tunnelcfg.Config{}
			for i := 0; i < rng.IntN(8); i++ {
				cfg.Rules = append(cfg.Rules, tunnelcfg.Rule{Index: i, Hostname: fmt.Sprintf("h%d.example", rng.IntN(4))})
			}
			s = &Snapshot{Ingress: IngressFacts{Config: cfg}}
		}
		var fs []Finding
		for i := 0; i < rng.IntN(12); i++ {
			f := Finding{Code: fmt.Sprint("X", i), Severity: Severity(rng.IntN(5)), Rule: rng.IntN(10) - 2}
			if f.Rule < 0 {
				f.Rule = NoRule
			}
			if rng.IntN(2) == 0 {
				f.Hostname = fmt.Sprintf("h%d.example", rng.IntN(6))
			}
			fs = append(fs, f)
		}
		got, want := Attribute(s, fs), naiveAttribute(s, fs)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: findings %+v\n got %+v\nwant %+v", round, fs, got, want)
		}
	}
}
