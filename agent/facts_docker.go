package agent

// DockerFacts holds what the docker collector found.
// Owned by the docker work; extend freely.
type DockerFacts struct {
	Gap
}

// DockerOptions configures the docker collector.
type DockerOptions struct {
	// Disabled skips the source; the reason is shown in the report.
	Disabled string
}
