package report

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// shapeRedactor is a report's last line of defence: a report does not know
// the run's secret values (the caller redacts with the run's redactor
// first, as cmd check does), so it redacts by shape. Built once per report:
// it compiles the secret-flag patterns.
func shapeRedactor() *redact.Redactor { return tunnelcfg.NewRedactor() }

// redactAll prepares findings for the text report: redacted, and every
// control character shown as a visible escape, so a container's log line
// or an origin's answer cannot drive the reader's terminal. The report's
// own colours are added after this.
func redactAll(r *redact.Redactor, fs []agent.Finding) []agent.Finding {
	out := make([]agent.Finding, len(fs))
	for i, f := range fs {
		f = agent.RedactFinding(r, f)
		f.Message, f.Fix = redact.Terminal(f.Message), redact.Terminal(f.Fix)
		f.Service, f.Hostname = redact.Terminal(f.Service), redact.Terminal(f.Hostname)
		ev := make(map[string]string, len(f.Evidence))
		for k, v := range f.Evidence {
			ev[redact.Terminal(k)] = redact.Terminal(v)
		}
		if f.Evidence != nil {
			f.Evidence = ev
		}
		out[i] = f
	}
	return out
}
