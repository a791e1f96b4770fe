package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// jsonReport is the stable object of `tunneldoctor check --output json`
// (DESIGN.md "Stable JSON"). Fields may be added, never renamed or removed.
type jsonReport struct {
	Tunnel   agent.TunnelInfo `json:"tunnel"`
	Findings []agent.Finding  `json:"findings"`
	Summary  agent.Summary    `json:"summary"`
	ExitCode int              `json:"exit_code"`
}

// JSON writes one indented JSON object: the tunnel, every finding except
// passes (never null), the summary by severity and the exit code.
func JSON(w io.Writer, snap *agent.Snapshot, findings []agent.Finding, exitCode int) error {
	r := jsonReport{Findings: []agent.Finding{}, ExitCode: exitCode}
	if snap != nil {
		r.Tunnel = snap.Tunnel
	}
	for _, f := range findings {
		if f.Severity == agent.Pass {
			continue
		}
		r.Findings = append(r.Findings, RedactFinding(f))
	}
	r.Summary = agent.Summarize(r.Findings)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("writing JSON report: %w", err)
	}
	return nil
}
