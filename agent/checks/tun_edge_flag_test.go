package checks

import (
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// With --edge, cloudflared dials the given addresses and does no SRV
// discovery: TUN004 must not say it exits, and its fix is about --edge.
func TestEdgeDNSWithStaticEdgeDoesNotClaimAnExit(t *testing.T) {
	s := tunSnap(running, nil, lineSRV)
	s.Ingress.Settings = &tunnelcfg.Settings{Flags: map[string]tunnelcfg.FlagValue{
		"edge": {Value: "edge.internal:7844", Source: "cli"}}}
	got, _ := codes(t, s)
	f, ok := got["TUN004"]
	if !ok {
		t.Fatal("no TUN004")
	}
	if strings.Contains(f.Message, "exits") {
		t.Errorf("claims an exit although --edge is set: %s", f.Message)
	}
	for _, w := range []string{"--edge edge.internal:7844", "keeps retrying"} {
		if !strings.Contains(f.Message, w) {
			t.Errorf("message lacks %q: %s", w, f.Message)
		}
	}
	if !strings.Contains(f.Fix, "--edge") || f.Severity != agent.Error {
		t.Errorf("fix/severity: %s %s", f.Severity, f.Fix)
	}
	// Without --edge the exit is real and said.
	plain, _ := codes(t, tunSnap(restarting, nil, lineSRV))
	if !strings.Contains(plain["TUN004"].Message, "and exits") {
		t.Errorf("without --edge: %s", plain["TUN004"].Message)
	}
}
