package agent

import (
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// ProbeFacts holds what the probes collector found: one result per ingress
// rule that has an origin, in rule order.
type ProbeFacts struct {
	Gap
	Results []probe.Result `json:"results,omitempty"`
	// Pending lists the origins whose probe is still running and has never
	// completed (watch mode does not wait for slow origins): unknown, so
	// their protocol hop is not checked. One-shot runs wait for every probe.
	Pending []probe.Pending `json:"pending,omitempty"`
	// NotProbed lists rules without an origin to reach (http_status,
	// hello_world, bastion...) or with an unparsable service.
	NotProbed []probe.NotProbed `json:"not_probed,omitempty"`
	// Vantage says whose network namespace the probes ran from: one of the
	// Vantage* constants. Checks quote it so a reader knows whether a probe
	// saw what cloudflared sees.
	Vantage string `json:"vantage"`
}

// Where probes ran from.
const (
	VantageCloudflared = "cloudflared" // tunneldoctor shares cloudflared's network namespace
	VantageOwn         = "own"         // tunneldoctor's own namespace: names and routes may differ
	VantageUnknown     = "unknown"     // Docker facts could not tell
)
