package agent

// CloudflaredFacts holds what the cloudflared collector found.
// Owned by the cloudflared work; extend freely.
type CloudflaredFacts struct {
	Gap
}

// CloudflaredOptions configures the cloudflared collector.
type CloudflaredOptions struct {
	// Disabled skips the source; the reason is shown in the report.
	Disabled string
}
