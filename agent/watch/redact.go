package watch

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// Redactor is the one redactor (tunnelcfg/redact). The watcher registers
// each run's secrets with it before logging.
type Redactor = redact.Redactor

// Redacted replaces every secret the sidecar would otherwise print.
const Redacted = redact.Marker

// NewRedactor returns a redactor for cloudflared's secret flags that knows
// the given secrets.
func NewRedactor(secrets ...string) *Redactor { return tunnelcfg.NewRedactor(secrets...) }

// SnapshotSecrets returns the secret values a run discovered (see
// agent.SnapshotSecrets).
func SnapshotSecrets(s *agent.Snapshot) []string { return agent.SnapshotSecrets(s) }
