package status

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// probeResults reads the probe results of a snapshot (nil when the probes
// did not run).
func probeResults(s *agent.Snapshot) []probe.Result {
	if s == nil {
		return nil
	}
	return s.Probes.Results
}
