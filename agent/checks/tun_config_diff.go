package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Helpers for the checks that compare the configuration cloudflared runs
// with the local file.

// ruleText renders a rule as "hostname path → service".
func ruleText(r tunnelcfg.Rule) string {
	h := r.Hostname
	if h == "" {
		h = "(catch-all)"
	}
	if r.Path != "" {
		h += " path " + r.Path
	}
	return h + " → " + r.Service
}

// ruleDiff lists, position by position, the rules that differ in hostname,
// path or service between live (what cloudflared runs) and file.
func ruleDiff(live, file []tunnelcfg.Rule, liveName, fileName string) []string {
	n := max(len(live), len(file))
	var out []string
	for i := 0; i < n; i++ {
		var l, f string
		if i < len(live) {
			l = ruleText(live[i])
		}
		if i < len(file) {
			f = ruleText(file[i])
		}
		if l == f {
			continue
		}
		switch {
		case l == "":
			out = append(out, fmt.Sprintf("rule #%d only in %s: %s", i, fileName, f))
		case f == "":
			out = append(out, fmt.Sprintf("rule #%d only in %s: %s", i, liveName, l))
		default:
			out = append(out, fmt.Sprintf("rule #%d: %s has %s; %s has %s", i, liveName, l, fileName, f))
		}
	}
	return out
}

// diffEvidence joins up to 10 differences.
func diffEvidence(diff []string) string {
	if len(diff) > 10 {
		return strings.Join(diff[:10], "\n") + fmt.Sprintf("\n... and %d more", len(diff)-10)
	}
	return strings.Join(diff, "\n")
}
