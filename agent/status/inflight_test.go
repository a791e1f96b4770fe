package status

import (
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// In watch mode a run does not wait for a slow origin: an origin whose
// first probe is still running is unknown (grey, and not ready), never
// green; one reported by its last result says so.
func TestChainsAndReadyWithProbesInFlight(t *testing.T) {
	r := healthySetup()
	snap := *r.Snapshot
	since := snap.Taken.Add(-30 * time.Second)
	snap.Probes.Pending = []probe.Pending{{Target: probe.Target{Rule: 0, Hostname: "app.example.com", Service: "http://web:8080"}, Since: since}}
	snap.Probes.Results = append([]probe.Result(nil), snap.Probes.Results...)
	snap.Probes.Results[0].Started = snap.Taken.Add(-time.Minute)
	snap.Probes.Results[0].InFlight = since
	r.Snapshot = &snap

	hops := map[string]HopState{}
	for _, c := range Chains(&r) {
		for _, h := range c.Hops {
			if h.Label == "protocol" {
				hops[c.Hostname] = h
			}
		}
	}
	if h := hops["app.example.com"]; h.Colour != Grey || !strings.Contains(h.Note, "probe still running") {
		t.Errorf("pending origin's protocol hop: %+v; want grey, saying its probe is still running", h)
	}
	if h := hops["api.example.com"]; h.Colour != Green || !strings.Contains(h.Note, "last result from "+snap.Probes.Results[0].Started.Format(time.RFC3339)) {
		t.Errorf("reused result's protocol hop: %+v; want green, saying the result is the last one and when it was taken", h)
	}

	got := Ready(&r)
	if got.Ready || !strings.Contains(strings.Join(got.Reasons, "\n"), "app.example.com: the origin's probe is still running") {
		t.Errorf("Ready with a pending origin = %v %q; want not ready, naming it", got.Ready, got.Reasons)
	}
}
