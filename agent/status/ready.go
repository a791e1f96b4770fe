package status

import (
	"fmt"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/agent/watch"
)

// Readiness is the /readyz verdict and its JSON body.
type Readiness struct {
	Ready     bool      `json:"ready"`
	Reasons   []string  `json:"reasons"` // why not ready; empty when ready
	Connected *bool     `json:"connected"`
	CheckedAt time.Time `json:"checked_at,omitzero"`
	Run       int       `json:"run"`
}

// maxReasons bounds the body when many origins fail at once.
const maxReasons = 20

// Ready judges the latest run: ready only when cloudflared's tunnel is known
// to be connected and every request path (agent.Attribute) is free of
// errors past the edge: no tunnel, ingress, network, origin or protocol
// error. Edge errors (DNS records, zone settings) do not make the sidecar
// unready: the path from cloudflared to the origins may be fine. Unknown is
// not ready.
func Ready(r *watch.Result) Readiness {
	if r == nil {
		return Readiness{Reasons: []string{"no check has finished yet"}}
	}
	out := Readiness{CheckedAt: r.Started, Run: r.Seq}
	if r.Crash != "" {
		out.Reasons = append(out.Reasons, "the last run crashed (a tunneldoctor bug; see its stderr): "+r.Crash)
	}
	if r.Snapshot != nil {
		out.Connected = r.Snapshot.Tunnel.Connected
	}
	switch {
	case out.Connected == nil:
		why := "cloudflared's connection state is unknown"
		if r.Snapshot != nil && r.Snapshot.Cloudflared.Missing != "" {
			why += ": " + r.Snapshot.Cloudflared.Missing
		}
		out.Reasons = append(out.Reasons, why)
	case !*out.Connected:
		out.Reasons = append(out.Reasons, "the tunnel is not connected: cloudflared has no registered connection to the Cloudflare edge")
	}
	hidden := 0
	if r.Snapshot != nil {
		// Unknown is not ready: an origin whose first probe is still running.
		for _, p := range r.Snapshot.Probes.Pending {
			if len(out.Reasons) >= maxReasons {
				hidden++
				continue
			}
			out.Reasons = append(out.Reasons, describeTarget(p.Target)+": the origin's probe is still running, no result yet")
		}
	}
	seen := map[string]bool{}
	for _, p := range agent.Attribute(r.Snapshot, r.Findings) {
		for _, f := range p.BreakingPastEdge() {
			if seen[f.Key()] {
				continue
			}
			seen[f.Key()] = true
			if len(out.Reasons) >= maxReasons {
				hidden++
				continue
			}
			out.Reasons = append(out.Reasons, describe(f))
		}
	}
	if hidden > 0 {
		out.Reasons = append(out.Reasons, fmt.Sprintf("… and %d more errors: see the status page", hidden))
	}
	out.Ready = len(out.Reasons) == 0
	if out.Reasons == nil {
		out.Reasons = []string{}
	}
	return out
}

func describe(f agent.Finding) string {
	about := f.Hostname
	if about == "" && f.Rule >= 0 {
		about = fmt.Sprintf("rule #%d", f.Rule)
	}
	if about != "" {
		return fmt.Sprintf("%s (%s, %s): %s", f.Code, about, f.Hop, f.Message)
	}
	return fmt.Sprintf("%s (%s): %s", f.Code, f.Hop, f.Message)
}

func describeTarget(t probe.Target) string {
	if t.Hostname != "" {
		return t.Hostname
	}
	return fmt.Sprintf("rule #%d", t.Rule)
}
