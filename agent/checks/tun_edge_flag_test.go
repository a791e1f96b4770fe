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

// With --edge names of which none resolves, cloudflared logs each one and
// exits with "failed to resolve any edge address" (allregions.StaticEdge):
// then the exit is real and TUN004 says so, naming --edge, not SRV.
func TestEdgeDNSWithStaticEdgeNoneResolvedExits(t *testing.T) {
	s := tunSnap(&agent.ProcessState{State: "exited", ExitCode: 1}, nil,
		`2026-11-22T02:15:45Z ERR failed to resolve to TCP address address=edge.internal:7844 error="lookup edge.internal on 127.0.0.11:53: server misbehaving"`,
		`2026-11-22T02:15:45Z ERR Initiating shutdown error="failed to resolve any edge address"`)
	s.Docker.Settings = &tunnelcfg.Settings{Flags: map[string]tunnelcfg.FlagValue{
		"edge": {Value: "edge.internal:7844", Source: "env"}}}
	got, _ := codes(t, s)
	f, ok := got["TUN004"]
	if !ok {
		t.Fatalf("no TUN004: %v", got)
	}
	for _, w := range []string{"--edge edge.internal:7844", "exits", "failed to resolve any edge address", "lookup edge.internal on 127.0.0.11:53"} {
		if !strings.Contains(f.Message, w) {
			t.Errorf("message lacks %q: %s", w, f.Message)
		}
	}
	if strings.Contains(f.Message, "SRV") || strings.Contains(f.Message, "keeps retrying") {
		t.Errorf("message: %s", f.Message)
	}
	if !strings.Contains(f.Fix, "--edge 198.41.192.7:7844") || !strings.Contains(f.Fix, "docker compose up -d") {
		t.Errorf("fix: %s", f.Fix)
	}
	if _, ok := got["TUN001"]; ok {
		t.Errorf("TUN001 beside TUN004: %v", got)
	}
}
