package agent

import (
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// ProbeFacts holds what the probes collector found: one result per ingress
// rule that has an origin, in rule order.
type ProbeFacts struct {
	Gap
	Results []probe.Result `json:"results,omitempty"`
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

// ProbeOptions configures the probes collector.
type ProbeOptions struct {
	// Disabled skips the source; the reason is shown in the report.
	Disabled string
	// MaxTime bounds one probe (--probe-timeout); Concurrency bounds how
	// many run at once (--probe-concurrency). Zero takes probe's defaults.
	MaxTime     time.Duration
	Concurrency int
	// Anywhere probes even when cloudflared was not found (--probe-anywhere).
	// By default a run that found neither cloudflared's container nor its
	// metrics server does not probe: from an unknown vantage point a
	// failure says nothing about what cloudflared sees, and names such as
	// `web` would be looked up in this machine's DNS.
	Anywhere bool
}
