package report

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// Redacted replaces a secret wherever a report would show it.
const Redacted = redact.Marker

// RedactFinding returns a copy of f safe to print, by shape: a report does
// not know the run's secret values, so the caller redacts with the run's
// redactor first (cmd check does) and this is the last line of defence.
func RedactFinding(f agent.Finding) agent.Finding {
	return agent.RedactFinding(tunnelcfg.NewRedactor(), f)
}

// RedactText replaces secret-shaped substrings of s.
func RedactText(s string) string { return tunnelcfg.NewRedactor().String(s) }

// redactAll prepares findings for the text report: redacted, and every
// control character shown as a visible escape, so a container's log line
// or an origin's answer cannot drive the reader's terminal. The report's
// own colours are added after this.
func redactAll(fs []agent.Finding) []agent.Finding {
	r := tunnelcfg.NewRedactor()
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
