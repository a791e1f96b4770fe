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
	Tunnel   jsonTunnel      `json:"tunnel"`
	Findings []agent.Finding `json:"findings"`
	Summary  agent.Summary   `json:"summary"`
	ExitCode int             `json:"exit_code"`
}

// jsonTunnel is agent.TunnelInfo as the report prints it, every field
// under its own name, but config_version is null while the version is
// unknown (no config_source: neither cloudflared's /config nor a config
// read by tunneldoctor said). An int would read 0 there, the dashboard's
// first version. -1 is a local file, 0 and up the dashboard's version.
type jsonTunnel struct {
	ID            string `json:"id"`
	Account       string `json:"account"`
	Cloudflared   string `json:"cloudflared"`
	ConfigSource  string `json:"config_source"`
	ConfigVersion *int   `json:"config_version"`
	Connected     *bool  `json:"connected"`
}

func tunnelJSON(t agent.TunnelInfo) jsonTunnel {
	j := jsonTunnel{ID: t.ID, Account: t.Account, Cloudflared: t.Cloudflared, ConfigSource: t.ConfigSource, Connected: t.Connected}
	if t.ConfigSource != "" {
		v := t.ConfigVersion
		j.ConfigVersion = &v
	}
	return j
}

// JSON writes one indented JSON object: the tunnel, every finding except
// passes (never null), the summary by severity and the exit code.
func JSON(w io.Writer, snap *agent.Snapshot, findings []agent.Finding, exitCode int) error {
	r := jsonReport{Findings: []agent.Finding{}, ExitCode: exitCode}
	if snap != nil {
		r.Tunnel = tunnelJSON(snap.Tunnel)
	} else {
		r.Tunnel = tunnelJSON(agent.TunnelInfo{})
	}
	red := shapeRedactor()
	for _, f := range findings {
		if f.Severity == agent.Pass {
			continue
		}
		r.Findings = append(r.Findings, agent.RedactFinding(red, f))
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
