package agent

// EdgeFacts holds what the edge collector found.
// Owned by the edge work; extend freely.
type EdgeFacts struct {
	Gap
}

// EdgeOptions configures the edge collector.
type EdgeOptions struct {
	// Disabled skips the source; the reason is shown in the report.
	Disabled string
}
