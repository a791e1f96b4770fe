package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./agent/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test ./agent/report -update rewrites it)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

// A token as cloudflared's --token carries it: base64 of {"a":..,"t":..,"s":..}.
const fakeTunnelToken = "eyJhIjoiMDEyMzQ1Njc4OWFiY2RlZiIsInQiOiJ0dW5uZWwiLCJzIjoic2VjcmV0In0="

func sampleSnapshot() *agent.Snapshot {
	connected := false
	return &agent.Snapshot{
		Taken: time.Date(2026, 11, 22, 2, 30, 0, 0, time.UTC),
		Tunnel: agent.TunnelInfo{
			ID: "6ff42ae2-765d-4adf-8112-31c55c1551ef", Account: "0123456789abcdef",
			Cloudflared: "cloudflared", ConfigSource: "file", ConfigVersion: -1, Connected: &connected,
		},
		Ingress: agent.IngressFacts{
			Config: &tunnelcfg.Config{Origin: tunnelcfg.FromFile, Version: -1, Rules: []tunnelcfg.Rule{
				{Index: 0, Hostname: "app.example.com", Service: "http://web:8080"},
				{Index: 1, Hostname: "api.example.com", Path: "^/v1/", Service: "https://api:8443"},
				{Index: 2, Hostname: "api.example.com", Service: "http://api:8080"},
				{Index: 3, Hostname: "quiet.example.com", Service: "http://quiet:80"},
				{Index: 4, Service: "http_status:404"},
			}},
			Notes: []string{"ingress read from /etc/cloudflared/config.yml"},
		},
		Probes: agent.ProbeFacts{Gap: agent.Gap{Missing: "--no-probe was given"}},
		Edge:   agent.EdgeFacts{Gap: agent.Gap{Missing: "no Cloudflare API token (set CLOUDFLARE_API_TOKEN)"}},
	}
}

func sampleFindings() []agent.Finding {
	fs := []agent.Finding{
		{
			Code: "NET002", Severity: agent.Error, Hop: agent.HopNetwork, Hostname: "app.example.com",
			Rule: 0, Service: "http://web:8080",
			Message: `Origin container "web" is only on network "app_default" and cloudflared only on "tunnel": the name web does not resolve from cloudflared, so every request to app.example.com gets a 502.`,
			Fix:     "docker network connect app_default cloudflared\n\n# or in compose, under the cloudflared service:\nnetworks:\n  - app_default",
			Evidence: map[string]string{
				"cloudflared networks": "tunnel",
				"origin networks":      "app_default",
				"probe error":          "dial tcp: lookup web on 127.0.0.11:53: no such host",
				agent.EvidenceSubject:  "web",
			},
		},
		{
			Code: "TUN001", Severity: agent.Error, Hop: agent.HopTunnel, Rule: agent.NoRule,
			Message: "cloudflared has no connection to the Cloudflare edge: every hostname of this tunnel returns 530 (error 1033).",
			Fix:     "Check the token: docker logs cloudflared | grep -i unauthorized",
			Evidence: map[string]string{
				"ready":        `{"status":503,"readyConnections":0}`,
				"tunnel_token": fakeTunnelToken,
				"candidates":   "",
				"skipped":      "CF010,CF011,CF012,CF020,CF021,CF022,CF023,CF024,CF025,CF050,CF051,CF052,CF053,CF030",
				"log line":     "ERR Register tunnel error from server side error=\"Unauthorized: Invalid tunnel secret\" token=" + fakeTunnelToken,
			},
		},
		{
			Code: "PRB003", Severity: agent.Warn, Hop: agent.HopProtocol, Hostname: "api.example.com", Rule: 1,
			Service: "https://api:8443",
			Message: "The origin's certificate is valid for api.internal, not api: cloudflared refuses it and answers 502.",
			Fix:     "originServerName: api.internal",
		},
		{
			Code: "ING020", Severity: agent.Info, Hop: agent.HopIngress, Rule: 4, Service: "http_status:404",
			Message: "Requests that match no rule get a 404 from the catch-all rule #4.",
		},
		{Code: "ING001", Severity: agent.Pass, Hop: agent.HopIngress, Rule: agent.NoRule, Message: "valid"},
	}
	skip := func(code, hop, source, why string) agent.Finding {
		return agent.Finding{Code: code, Severity: agent.Skipped, Hop: hop, Rule: agent.NoRule,
			Message:  code + ": skipped, " + source + ": " + why,
			Evidence: map[string]string{agent.EvidenceMissingPrefix + source: why}}
	}
	fs = append(fs,
		skip("PRB001", agent.HopProtocol, "probes", "--no-probe was given"),
		skip("PRB002", agent.HopProtocol, "probes", "--no-probe was given"),
		skip("CF001", agent.HopEdge, "edge", "no Cloudflare API token (set CLOUDFLARE_API_TOKEN)"),
		agent.Finding{Code: "CF009", Severity: agent.Skipped, Hop: agent.HopEdge, Rule: agent.NoRule,
			Message: "Zone settings not read: the token lacks Zone Settings Read."},
	)
	agent.SortFindings(fs)
	return fs
}

func TestTextGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Text(&buf, sampleSnapshot(), sampleFindings(), TextOptions{ExitCode: 2}); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.txt.golden", buf.Bytes())

	for i, l := range strings.Split(buf.String(), "\n") {
		if n := utf8.RuneCountInString(l); n > DefaultWidth && !strings.Contains(l, "eyJ") && strings.Contains(strings.TrimSpace(l), " ") {
			t.Errorf("line %d is %d columns wide (> %d): %q", i+1, n, DefaultWidth, l)
		}
	}
	if strings.Contains(buf.String(), "\x1b[") {
		t.Error("colour codes in a report for a non-terminal")
	}
}

func TestTextColorGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Text(&buf, sampleSnapshot(), sampleFindings(), TextOptions{ExitCode: 2, Color: true}); err != nil {
		t.Fatal(err)
	}
	golden(t, "report-color.txt.golden", buf.Bytes())
	if !strings.Contains(buf.String(), styleRed+"ERROR") {
		t.Error("errors are not red on a terminal")
	}
}

func TestTextGroupsByHostname(t *testing.T) {
	var buf bytes.Buffer
	if err := Text(&buf, sampleSnapshot(), sampleFindings(), TextOptions{ExitCode: 2}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// general (tunnel-wide) first, hostnames in rule order, catch-all last.
	order := []string{"\ngeneral\n", "\napp.example.com\n", "\napi.example.com\n", "\n(catch-all)\n", "No findings: quiet.example.com", "Skipped 4 checks:"}
	last := -1
	for _, s := range order {
		i := strings.Index(out, s)
		if i < 0 {
			t.Fatalf("report lacks %q:\n%s", s, out)
		}
		if i < last {
			t.Errorf("%q is out of order:\n%s", s, out)
		}
		last = i
	}
	// Both api.example.com rules are listed under the one hostname.
	if !strings.Contains(out, "rule #1 path ^/v1/ -> https://api:8443\n  rule #2 -> http://api:8080") {
		t.Errorf("api.example.com does not list both of its rules:\n%s", out)
	}
	// Skipped checks are compact: one line of codes per reason.
	if !strings.Contains(out, "    skipped: PRB001 PRB002\n") {
		t.Errorf("skipped probe checks are not summarised on one line:\n%s", out)
	}
	if strings.Contains(out, "ING001") {
		t.Error("a passing check is listed as a finding")
	}
	if strings.Contains(out, agent.EvidenceSubject+":") {
		t.Error("the text report shows the internal subject key")
	}
}

func TestTextWithoutSnapshotFacts(t *testing.T) {
	// A finding about a rule the snapshot does not know must still print.
	fs := []agent.Finding{{Code: "ING002", Severity: agent.Error, Hop: agent.HopIngress, Rule: 7, Message: "bad rule"}}
	var buf bytes.Buffer
	if err := Text(&buf, &agent.Snapshot{}, fs, TextOptions{ExitCode: 2}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "(catch-all)\n\n  ERROR ING002 [ingress] rule #7\n    bad rule") {
		t.Errorf("unexpected report:\n%s", buf.String())
	}
}

func TestJSONGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, sampleSnapshot(), sampleFindings(), 2); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.json.golden", buf.Bytes())
}

// TestJSONStableShape decodes the report the way a script would and checks
// every name DESIGN.md promises.
func TestJSONStableShape(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, sampleSnapshot(), sampleFindings(), 2); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tunnel", "findings", "summary", "exit_code"} {
		if _, ok := got[k]; !ok {
			t.Errorf("top-level %q missing", k)
		}
	}
	tun := got["tunnel"].(map[string]any)
	for _, k := range []string{"id", "account", "cloudflared", "config_source", "config_version", "connected"} {
		if _, ok := tun[k]; !ok {
			t.Errorf("tunnel.%s missing", k)
		}
	}
	fs := got["findings"].([]any)
	if len(fs) != 8 {
		t.Errorf("%d findings, want 8 (passes are left out)", len(fs))
	}
	f0 := fs[0].(map[string]any)
	for _, k := range []string{"code", "severity", "hop", "hostname", "rule", "service", "message", "fix", "evidence"} {
		if _, ok := f0[k]; !ok {
			t.Errorf("findings[0].%s missing", k)
		}
	}
	if f0["severity"] != "error" {
		t.Errorf("severity = %v, want the string \"error\"", f0["severity"])
	}
	sum := got["summary"].(map[string]any)
	want := map[string]float64{"error": 2, "warn": 1, "info": 1, "skipped": 4}
	for k, v := range want {
		if sum[k] != v {
			t.Errorf("summary.%s = %v, want %v", k, sum[k], v)
		}
	}
	if got["exit_code"] != float64(2) {
		t.Errorf("exit_code = %v", got["exit_code"])
	}
}

func TestJSONFindingsNeverNull(t *testing.T) {
	for _, snap := range []*agent.Snapshot{nil, {}} {
		var buf bytes.Buffer
		if err := JSON(&buf, snap, nil, 0); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), `"findings": []`) {
			t.Errorf("findings is not an empty list:\n%s", buf.String())
		}
	}
}

func TestReportsNeverShowSecrets(t *testing.T) {
	const apiToken = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo" // no recognisable shape
	fs := sampleFindings()
	fs = append(fs, agent.Finding{
		Code: "CF002", Severity: agent.Error, Hop: agent.HopEdge, Rule: agent.NoRule,
		Message:  "token rejected " + fakeTunnelToken,
		Fix:      "docker run -e TUNNEL_TOKEN=" + fakeTunnelToken,
		Evidence: map[string]string{"api_token": apiToken, "Authorization": "Bearer " + apiToken, "env TUNNEL_TOKEN": fakeTunnelToken},
	})
	var text, js bytes.Buffer
	if err := Text(&text, sampleSnapshot(), fs, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := JSON(&js, sampleSnapshot(), fs, 2); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "json": js.String()} {
		for _, secret := range []string{fakeTunnelToken, fakeTunnelToken[:24], apiToken} {
			if strings.Contains(out, secret) {
				t.Errorf("%s report shows secret %q", name, secret)
			}
		}
		if !strings.Contains(out, redact.Marker) {
			t.Errorf("%s report does not say what it redacted", name)
		}
	}
	// The caller's findings are not modified.
	if !strings.Contains(fs[len(fs)-1].Message, fakeTunnelToken) {
		t.Error("redaction changed the caller's finding")
	}
}

func TestWrapKeepsLongWordsWhole(t *testing.T) {
	url := "https://example.com/" + strings.Repeat("x", 90)
	got := wrap("see "+url+" now", "  ", "  ", 40)
	want := []string{"  see", "  " + url, "  now"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}

// bigRun is a 2,000-rule tunnel with a finding on every other rule.
func bigRun() (*agent.Snapshot, []agent.Finding) {
	snap := sampleSnapshot()
	var rules []tunnelcfg.Rule
	var fs []agent.Finding
	for i := 0; i < 2000; i++ {
		host := "app" + strconv.Itoa(i) + ".example.com"
		rules = append(rules, tunnelcfg.Rule{Index: i, Hostname: host, Service: "http://web" + strconv.Itoa(i) + ":8080"})
		if i%2 == 0 {
			fs = append(fs, agent.Finding{Code: "NET002", Severity: agent.Error, Hop: agent.HopNetwork, Hostname: host, Rule: i,
				Message: "origin not on a shared network", Fix: "docker network connect app_default cloudflared",
				Evidence: map[string]string{"networks": "app_default"}})
		}
	}
	rules = append(rules, tunnelcfg.Rule{Index: 2000, Service: "http_status:404"})
	snap.Ingress.Config.Rules = rules
	agent.SortFindings(fs)
	return snap, fs
}

func TestTextQuietHostnamesAreBounded(t *testing.T) {
	snap, fs := bigRun()
	var buf bytes.Buffer
	if err := Text(&buf, snap, fs, TextOptions{ExitCode: 2}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "and 988 more hostnames") {
		t.Errorf("1,000 finding-free hostnames are not summarised")
	}
}

func BenchmarkText2000Rules(b *testing.B) {
	snap, fs := bigRun()
	b.ReportAllocs()
	for b.Loop() {
		if err := Text(io.Discard, snap, fs, TextOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSON2000Rules(b *testing.B) {
	snap, fs := bigRun()
	b.ReportAllocs()
	for b.Loop() {
		if err := JSON(io.Discard, snap, fs, 2); err != nil {
			b.Fatal(err)
		}
	}
}
