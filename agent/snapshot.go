package agent

import "time"

// Fact source names, as used in Check.Needs.
const (
	SourceIngress     = "ingress"
	SourceDocker      = "docker"
	SourceCloudflared = "cloudflared"
	SourceProbes      = "probes"
	SourceEdge        = "edge"
)

// Snapshot holds every fact one run collected. Collectors fill it; checks
// only read it. A source that could not be collected says why in its Gap,
// and the checks that need it are reported as skipped with that reason.
type Snapshot struct {
	Taken       time.Time
	Tunnel      TunnelInfo
	Ingress     IngressFacts
	Docker      DockerFacts
	Cloudflared CloudflaredFacts
	Probes      ProbeFacts
	Edge        EdgeFacts
	// Sidecar is the watcher's view of its own network namespace (zero in
	// one-shot runs).
	Sidecar SidecarFacts
}

// Gap records why a fact source is missing. The zero value means the source
// was collected.
type Gap struct {
	Missing string `json:"missing,omitempty"`
}

// Available reports whether the source was collected.
func (g Gap) Available() bool { return g.Missing == "" }

// Unavailable returns the reason a named source is missing, or "".
func (s *Snapshot) Unavailable(source string) string {
	switch source {
	case SourceIngress:
		return s.Ingress.Missing
	case SourceDocker:
		return s.Docker.Missing
	case SourceCloudflared:
		return s.Cloudflared.Missing
	case SourceProbes:
		return s.Probes.Missing
	case SourceEdge:
		return s.Edge.Missing
	}
	return "unknown fact source " + source
}
