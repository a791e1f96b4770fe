package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// FuzzReports renders findings with arbitrary text: no panic, valid JSON,
// prose lines within the width, and a token placed anywhere never shown.
func FuzzReports(f *testing.F) {
	f.Add("origin web is down", "docker start web", "exit code", "137", "app.example.com", 0)
	f.Add("", "", "", "", "", -1)
	f.Add("multi\nline\n\nmessage", "networks:\n  - app_default\n", "k\x00", "v\xff", "ünïcødé.example", 3)
	f.Add(strings.Repeat("word ", 60), strings.Repeat("x", 200), "token", "abc", "*.example.com", 9)
	f.Fuzz(func(t *testing.T, msg, fix, key, value, host string, rule int) {
		if rule < -1 {
			rule = -1
		}
		fs := []agent.Finding{{
			Code: "TST001", Severity: agent.Warn, Hop: agent.HopOrigin, Hostname: host, Rule: rule,
			Message:  msg + " " + fakeTunnelToken + " " + msg,
			Fix:      fix,
			Evidence: map[string]string{key: value, "seen": value + fakeTunnelToken},
		}}
		var text, js bytes.Buffer
		if err := Text(&text, sampleSnapshot(), fs, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := JSON(&js, sampleSnapshot(), fs, 1); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(js.Bytes()) {
			t.Fatalf("invalid JSON:\n%s", js.String())
		}
		for name, out := range map[string]string{"text": text.String(), "json": js.String()} {
			if strings.Contains(out, fakeTunnelToken) {
				t.Fatalf("%s shows the token", name)
			}
		}
		if strings.ContainsAny(msg, "\n\r\t\v\f") || !utf8.ValidString(msg) {
			return // only single-line prose is promised to wrap
		}
		for _, l := range wrap(msg, "    ", "    ", DefaultWidth) {
			if utf8.RuneCountInString(l) > DefaultWidth && strings.Contains(strings.TrimSpace(l), " ") {
				t.Fatalf("wrapped line is %d wide: %q", utf8.RuneCountInString(l), l)
			}
		}
	})
}
