package agent

import (
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// CloudflaredFacts is what cloudflared says about itself: its metrics
// server's endpoints and its recent log lines. Each read carries its own
// error, so a check can tell "not connected" from "could not ask".
type CloudflaredFacts struct {
	Gap
	// Container is cloudflared's container name, "" outside Docker.
	Container string `json:"container,omitempty"`
	// Process is the container's state, nil outside Docker.
	Process *ProcessState `json:"process,omitempty"`
	// Command is cloudflared's command line (entrypoint + cmd) with secrets
	// redacted, for fixes that show a corrected command.
	Command []string `json:"command,omitempty"`
	// Entrypoint is the image's part of Command (compose's `command:`
	// replaces only what follows it).
	Entrypoint []string `json:"entrypoint,omitempty"`
	// MetricsFlag is cloudflared's --metrics (or TUNNEL_METRICS) as
	// configured, "" when it relies on the default ports.
	MetricsFlag string `json:"metrics_flag,omitempty"`
	// Protocol is cloudflared's --protocol, "" for auto.
	Protocol string `json:"protocol,omitempty"`
	// SharesNamespace: tunneldoctor runs in cloudflared's network namespace.
	SharesNamespace bool `json:"shares_namespace"`

	// MetricsAddr is where the metrics server answered, "" when none did;
	// MetricsError says why, MetricsProbes what each address did.
	MetricsAddr   string              `json:"metrics_addr,omitempty"`
	MetricsError  string              `json:"metrics_error,omitempty"`
	MetricsProbes []cloudflared.Probe `json:"metrics_probes,omitempty"`

	Ready            *cloudflared.Ready       `json:"ready,omitempty"`
	ReadyError       string                   `json:"ready_error,omitempty"`
	Config           *tunnelcfg.Config        `json:"config,omitempty"` // /config: what cloudflared runs
	ConfigError      string                   `json:"config_error,omitempty"`
	TunnelState      *cloudflared.TunnelState `json:"tunnel_state,omitempty"`
	TunnelStateError string                   `json:"tunnel_state_error,omitempty"`
	Metrics          *cloudflared.Metrics     `json:"metrics,omitempty"`
	MetricsReadError string                   `json:"metrics_read_error,omitempty"`

	// Events are cloudflared's recent log lines that mean something,
	// oldest first, redacted. LogLines counts the lines read.
	Events    []cloudflared.Event `json:"events,omitempty"`
	LogLines  int                 `json:"log_lines"`
	LogsError string              `json:"logs_error,omitempty"`
}

// ProcessState is the part of cloudflared's container state the tunnel
// checks judge.
type ProcessState struct {
	State        string    `json:"state"` // running, restarting, exited, created, paused, dead
	ExitCode     int       `json:"exit_code"`
	RestartCount int       `json:"restart_count"`
	StartedAt    time.Time `json:"started_at,omitzero"`
	FinishedAt   time.Time `json:"finished_at,omitzero"`
}

// Stopped reports whether a container in this Docker state runs no process
// at all (exited, dead, created, paused): it holds no edge connection.
// "restarting" is between runs and "running" may be connected.
func Stopped(state string) bool {
	switch state {
	case "exited", "dead", "created", "paused":
		return true
	}
	return false
}

// Connected reports whether cloudflared holds at least one edge connection:
// /ready first, then /diag/tunnel; nil when neither could be read.
func (f *CloudflaredFacts) Connected() *bool {
	var v bool
	switch {
	case f.Ready != nil:
		v = f.Ready.Status == 200 && f.Ready.ReadyConnections > 0
	case f.TunnelState != nil:
		v = f.TunnelState.Connected() > 0
	default:
		return nil
	}
	return &v
}
