package watch

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// A tunnel token as cloudflared receives it: base64 of {"a","t","s"}.
var tunnelToken = base64.StdEncoding.EncodeToString([]byte(
	`{"a":"0123456789abcdef0123456789abcdef","t":"6ff42ae2-765d-4adf-8112-31c55c1551ef","s":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}`))

const apiToken = "Zx9_apiTokenValue_0123456789abcdefghijKL"

func decodeLines(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %v\n%s", err, sc.Text())
		}
		out = append(out, m)
	}
	return out
}

func TestLogChangeSchema(t *testing.T) {
	var buf bytes.Buffer
	log := zerolog.New(&buf).With().Timestamp().Logger()
	f := agent.Finding{
		Code: "ORG001", Severity: agent.Error, Hop: agent.HopOrigin, Hostname: "app.example.com",
		Rule: 2, Service: "http://web:8080", Message: "container web exited with code 137",
		Fix: "docker start web", Evidence: map[string]string{"exit_code": "137", "container": "web"},
	}
	opened := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	LogChange(log, NewRedactor(), Change{Event: EventOpened, Finding: f, OpenedAt: opened})
	prev := f
	f2 := f
	f2.Severity = agent.Warn
	LogChange(log, NewRedactor(), Change{Event: EventChanged, Finding: f2, Previous: &prev, OpenedAt: opened})
	LogChange(log, NewRedactor(), Change{Event: EventResolved, Finding: f2, Previous: &f2, OpenedAt: opened})

	lines := decodeLines(t, buf.Bytes())
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %d:\n%s", len(lines), buf.String())
	}
	for _, l := range lines {
		for _, k := range []string{"event", "code", "severity", "hop", "hostname", "rule", "service", "message", "fix", "evidence", "level", "time"} {
			if _, ok := l[k]; !ok {
				t.Errorf("line lacks stable field %q: %v", k, l)
			}
		}
	}
	want := []struct{ event, level, severity string }{
		{"finding_opened", "error", "error"},
		{"finding_changed", "warn", "warn"},
		{"finding_resolved", "info", "warn"},
	}
	for i, w := range want {
		l := lines[i]
		if l["event"] != w.event || l["level"] != w.level || l["severity"] != w.severity {
			t.Errorf("line %d: event=%v level=%v severity=%v, want %s/%s/%s", i, l["event"], l["level"], l["severity"], w.event, w.level, w.severity)
		}
	}
	if lines[0]["rule"] != float64(2) || lines[0]["message"] != f.Message || lines[0]["fix"] != "docker start web" {
		t.Errorf("finding fields not carried: %v", lines[0])
	}
	if ev, _ := lines[0]["evidence"].(map[string]any); ev["exit_code"] != "137" {
		t.Errorf("evidence not an object with the observed values: %v", lines[0]["evidence"])
	}
	if lines[1]["previous_severity"] != "error" {
		t.Errorf("changed line must carry previous_severity: %v", lines[1])
	}
}

func TestLogSummaryIsDebugOnly(t *testing.T) {
	var buf bytes.Buffer
	log := zerolog.New(&buf).Level(zerolog.InfoLevel)
	LogSummary(log, RunSummary{Trigger: TriggerInterval, Summary: agent.Summary{Error: 1}})
	if buf.Len() != 0 {
		t.Fatalf("run summary printed at info level: %s", buf.String())
	}
	log = log.Level(zerolog.DebugLevel)
	LogSummary(log, RunSummary{Trigger: TriggerInterval, Summary: agent.Summary{Error: 1}, Open: 1})
	l := decodeLines(t, buf.Bytes())
	if len(l) != 1 || l[0]["event"] != EventRunSummary || l[0]["level"] != "debug" || l[0]["error"] != float64(1) {
		t.Fatalf("bad run summary: %s", buf.String())
	}
}

// TestNoSecretInLogs puts a tunnel token, an API token and container env
// values everywhere a finding can carry them, in JSON and console format,
// and at debug level: none may reach the output.
func TestNoSecretInLogs(t *testing.T) {
	f := agent.Finding{
		Code: "TUN001", Severity: agent.Error, Hop: agent.HopTunnel, Rule: agent.NoRule,
		Message: "cloudflared exits: tunnel run --token " + tunnelToken,
		Fix:     "set TUNNEL_TOKEN=" + tunnelToken + " in the environment",
		Evidence: map[string]string{
			"command":       "cloudflared tunnel run --token " + tunnelToken,
			"env":           "TUNNEL_TOKEN=" + tunnelToken + "\nDB_PASSWORD=hunter2hunter2\nPATH=/usr/bin",
			"api_token":     apiToken,
			"authorization": "Bearer " + apiToken,
			"log":           `{"level":"error","error":"Unauthorized","token":"` + tunnelToken + `"}`,
			"note":          "api said: " + apiToken,
		},
	}
	for _, format := range []string{"json", "console"} {
		var buf bytes.Buffer
		r := NewRedactor(apiToken)
		var w = r.Writer(&buf)
		if format == "console" {
			w = zerolog.ConsoleWriter{Out: r.Writer(&buf), NoColor: true}
		}
		log := zerolog.New(w).Level(zerolog.DebugLevel).With().Timestamp().Logger()
		LogChange(log, r, Change{Event: EventOpened, Finding: f})
		LogChange(log, r, Change{Event: EventResolved, Finding: f, Previous: &f})
		// A debug line that forgot to redact: the writer still catches it.
		log.Debug().Str("raw", tunnelToken+" "+apiToken).Msg("debug " + apiToken)

		out := buf.String()
		for _, secret := range []string{tunnelToken, apiToken, "hunter2hunter2", tunnelToken[:30]} {
			if strings.Contains(out, secret) {
				t.Errorf("%s output leaks %q:\n%s", format, secret[:8]+"…", out)
			}
		}
		if !strings.Contains(out, redact.Marker) {
			t.Errorf("%s output shows no redaction marker:\n%s", format, out)
		}
		if !strings.Contains(out, "PATH=") || !strings.Contains(out, "DB_PASSWORD=") {
			t.Errorf("%s output lost env names (only values are secret):\n%s", format, out)
		}
	}
}

func TestRedactorKeepsOrdinaryText(t *testing.T) {
	r := NewRedactor("abc") // too short to be a secret: ignored
	for _, s := range []string{
		"origin web:8080 refused the connection (dial tcp 172.18.0.3:8080: connect: connection refused)",
		"no API token: Cloudflare checks skipped",
		"set originServerName: app.example.com under the rule",
		"abc def",
	} {
		if got := r.String(s); got != s {
			t.Errorf("ordinary text changed:\n got %q\nwant %q", got, s)
		}
	}
}
