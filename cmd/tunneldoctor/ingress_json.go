package main

import (
	"encoding/json"
	"fmt"
	"io"
)

// validateJSON is `ingress validate --output json`. Stable names: add
// fields, never rename or remove one.
type validateJSON struct {
	Valid    bool          `json:"valid"`
	Problems []problemJSON `json:"problems"` // never null
}

type problemJSON struct {
	Rule     int    `json:"rule"` // 0-based, -1 when not about one rule
	Field    string `json:"field"`
	Line     int    `json:"line"` // 1-based, 0 when unknown
	Message  string `json:"message"`
	Severity string `json:"severity"` // error (cloudflared refuses the file), warn or info
	Code     string `json:"code"`     // the finding code `tunneldoctor check` reports it under
	Fix      string `json:"fix"`
	Kind     string `json:"kind"`
	Related  []int  `json:"related,omitempty"`
}

// ruleJSON is `ingress rule --output json`.
type ruleJSON struct {
	Rule     int    `json:"rule"`
	Hostname string `json:"hostname"`
	Path     string `json:"path"`
	Service  string `json:"service"`
	Line     int    `json:"line,omitempty"`
}

func problemsJSON(problems []labeledProblem) []problemJSON {
	out := make([]problemJSON, 0, len(problems))
	for _, p := range problems {
		out = append(out, problemJSON{
			Rule: p.Rule, Field: p.Field, Line: p.Line, Message: p.Message,
			Severity: p.severity, Code: p.code, Fix: p.Fix,
			Kind: string(p.Kind), Related: p.Related,
		})
	}
	return out
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}
