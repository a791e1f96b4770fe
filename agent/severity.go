package agent

import (
	"fmt"
	"strings"
)

// Severity orders findings. Skipped sorts below Pass on purpose: a skipped
// check never raises the exit code, it only says which facts were missing.
type Severity int

const (
	Skipped Severity = iota
	Pass
	Info
	Warn
	Error
)

var severityNames = [...]string{"skipped", "pass", "info", "warn", "error"}

func (s Severity) String() string {
	if s < Skipped || s > Error {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText gives the stable JSON spelling ("error", "warn", ...).
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText accepts the stable spellings, case-insensitively.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity reads a severity name as used by --fail-on and in JSON.
func ParseSeverity(name string) (Severity, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "warning" {
		n = "warn"
	}
	for i, s := range severityNames {
		if s == n {
			return Severity(i), nil
		}
	}
	return Skipped, fmt.Errorf("unknown severity %q (want error, warn, info, pass or skipped)", name)
}
