package agent

// ProbeFacts holds what the probes collector found.
// Owned by the probes work; extend freely.
type ProbeFacts struct {
	Gap
}

// ProbeOptions configures the probes collector.
type ProbeOptions struct {
	// Disabled skips the source; the reason is shown in the report.
	Disabled string
}
