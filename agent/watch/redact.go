package watch

import (
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// Redactor is the one redactor (tunnelcfg/redact). The watcher registers
// each run's secrets with it before logging.
type Redactor = redact.Redactor

// NewRedactor returns a redactor for cloudflared's secret flags that knows
// the given secrets.
func NewRedactor(secrets ...string) *Redactor { return tunnelcfg.NewRedactor(secrets...) }
