package status

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/agent/watch"
)

func TestReady(t *testing.T) {
	broken, healthy := brokenSetup(), healthySetup()
	down := healthySetup()
	down.Snapshot = withConnected(down.Snapshot, ptr(false))
	unknown := healthySetup()
	unknown.Snapshot = withConnected(unknown.Snapshot, nil)
	unknown.Snapshot.Cloudflared.Missing = "metrics server unreachable at 172.18.0.2:20241"
	edgeOnly := healthySetup()
	edgeOnly.Findings = append(edgeOnly.Findings, agent.Finding{Code: "CF010", Severity: agent.Error, Hop: agent.HopEdge, Hostname: "app.example.com", Rule: agent.NoRule, Message: "no DNS record"})

	tests := []struct {
		name   string
		r      *watch.Result
		ready  bool
		reason string
	}{
		{"no run yet", nil, false, "no check has finished yet"},
		{"connected, origins pass", &healthy, true, ""},
		{"edge errors do not make the sidecar unready", &edgeOnly, true, ""},
		{"an origin error", &broken, false, "ORG001 (app.example.com, origin): container web exited"},
		{"tunnel down", &down, false, "the tunnel is not connected"},
		{"connection unknown", &unknown, false, "unknown: metrics server unreachable at 172.18.0.2:20241"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Ready(tc.r)
			if got.Ready != tc.ready {
				t.Fatalf("Ready = %v, want %v (reasons %q)", got.Ready, tc.ready, got.Reasons)
			}
			if tc.reason != "" && !strings.Contains(strings.Join(got.Reasons, "\n"), tc.reason) {
				t.Errorf("reasons %q lack %q", got.Reasons, tc.reason)
			}
			if tc.ready && len(got.Reasons) != 0 {
				t.Errorf("ready with reasons %q", got.Reasons)
			}
		})
	}
}

func TestReadyBoundsReasons(t *testing.T) {
	r := healthySetup()
	for i := 0; i < 500; i++ {
		r.Findings = append(r.Findings, agent.Finding{Code: "ORG001", Severity: agent.Error, Hop: agent.HopOrigin, Rule: i, Message: "down"})
	}
	got := Ready(&r)
	if len(got.Reasons) > maxReasons+1 || !strings.Contains(got.Reasons[len(got.Reasons)-1], "480 more") {
		t.Fatalf("500 errors: %d reasons, last %q; want %d + a count", len(got.Reasons), got.Reasons[len(got.Reasons)-1], maxReasons)
	}
}

func TestChainsColours(t *testing.T) {
	r := brokenSetup()
	chains := Chains(&r)
	got := map[string]string{}
	for _, c := range chains {
		var cols []string
		for _, h := range c.Hops {
			cols = append(cols, h.Label+"="+h.Colour)
		}
		got[c.Hostname] = strings.Join(cols, " ")
	}
	want := map[string]string{
		// The probe did not run for the broken host: its protocol hop is
		// grey (not checked), not green.
		"app.example.com": "edge=grey tunnel=green rule=green network=green container=red protocol=grey",
		"api.example.com": "edge=grey tunnel=green rule=green network=green container=green protocol=amber",
		// The catch-all (http_status:404) has no origin: nothing to check.
		"": "edge=grey tunnel=green rule=green network=grey container=grey protocol=grey",
	}
	for host, w := range want {
		if got[host] != w {
			t.Errorf("%q:\n got %s\nwant %s", host, got[host], w)
		}
	}
	if len(chains[0].Problems) != 1 || chains[0].Problems[0].Code != "ORG001" {
		t.Errorf("app.example.com problems: %+v", chains[0].Problems)
	}
}

// brokenMetrics is the exposition of brokenSetup, with a hostname that
// needs escaping.
func brokenMetrics(t *testing.T) string {
	t.Helper()
	store := NewStore(nil)
	r := brokenSetup()
	r.Snapshot.Ingress.Config.Rules[0].Hostname = `we"ird\host` + "\n" // escaping
	store.Publish(r)
	var buf bytes.Buffer
	if err := WriteMetrics(&buf, store.View()); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestMetrics(t *testing.T) {
	out := brokenMetrics(t)
	for _, want := range []string{
		`tunneldoctor_rule_up{rule="0",hostname="we\"ird\\host\n",path="",service="http://web:8080"} 0`,
		`tunneldoctor_rule_up{rule="1",hostname="api.example.com",path="",service="https://api:8443"} 1`,
		`tunneldoctor_rule_up{rule="2",hostname="",path="",service="http_status:404"} 1`,
		`tunneldoctor_findings{code="ORG001",severity="error",hop="origin"} 1`,
		`tunneldoctor_findings{code="CF001",severity="skipped",hop="edge"} 1`,
		`tunneldoctor_findings_open{code="PRB020",severity="warn",hop="protocol"} 1`,
		`tunneldoctor_runs_total{trigger="event"} 1`,
		`tunneldoctor_probe_phase_seconds{rule="1",hostname="api.example.com",phase="dns"} 0.002`,
		`tunneldoctor_probe_phase_seconds{rule="1",hostname="api.example.com",phase="tls"} 0.012`,
		`tunneldoctor_probe_phase_seconds{rule="1",hostname="api.example.com",phase="first_byte"} 0.045`,
		`tunneldoctor_probe_phase_seconds{rule="1",hostname="api.example.com",phase="total"} 0.061`,
		`tunneldoctor_ready 0`,
		`tunneldoctor_tunnel_connected 1`,
		"# TYPE tunneldoctor_last_run_timestamp_seconds gauge\ntunneldoctor_last_run_timestamp_seconds 1.7953164e+09\n", // 2026-11-22T03:00:00Z
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %q\n%s", want, out)
		}
	}
}

// TestMetricsPassPromtool validates the exposition with Prometheus's own
// linter (the Debian prometheus package ships it). It is its own test so
// that a missing promtool skips (or, under CI, fails) before any
// assertion, never after TestMetrics asserted.
func TestMetricsPassPromtool(t *testing.T) {
	path := dockertest.RequireProgram(t, "prometheus", "promtool")
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = strings.NewReader(brokenMetrics(t))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}

func TestHandlerEndpoints(t *testing.T) {
	store := NewStore(watch.NewRedactor())
	srv := httptest.NewServer(Handler(store, 10))
	defer srv.Close()

	get := func(path string) (int, http.Header, string) {
		t.Helper()
		res, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header, string(b)
	}

	if code, _, _ := get("/healthz"); code != 200 {
		t.Fatalf("/healthz before any run: %d, want 200 (alive)", code)
	}
	code, hdr, body := get("/readyz")
	if code != 503 || hdr.Get("Content-Type") != "application/json" || !strings.Contains(body, "no check has finished yet") {
		t.Fatalf("/readyz before any run: %d %s %s", code, hdr.Get("Content-Type"), body)
	}
	if code, _, body := get("/"); code != 200 || !strings.Contains(body, "Waiting for the first check") {
		t.Fatalf("/ before any run: %d\n%s", code, body)
	}

	store.Publish(brokenSetup())
	code, _, body = get("/readyz")
	var rd Readiness
	if err := json.Unmarshal([]byte(body), &rd); err != nil || code != 503 || rd.Ready || rd.Run != 3 {
		t.Fatalf("/readyz broken: %d %v %s", code, err, body)
	}
	_, hdr, metrics := get("/metrics")
	if !strings.HasPrefix(hdr.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Errorf("/metrics content type %q", hdr.Get("Content-Type"))
	}
	code, hdr, page := get("/")
	if code != 200 || !strings.Contains(page, `data-hop="container" data-colour="red"`) || !strings.Contains(page, "docker start web") {
		t.Errorf("status page lacks the red container hop or its fix:\n%s", page)
	}
	if !strings.Contains(page, `http-equiv="refresh" content="10"`) {
		t.Errorf("status page does not refresh itself")
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("status page CSP %q", csp)
	}
	for _, leak := range []string{tunnelToken, tunnelToken[:24]} {
		for name, out := range map[string]string{"readyz": body, "metrics": metrics, "page": page} {
			if strings.Contains(out, leak) {
				t.Errorf("%s leaks the tunnel token", name)
			}
		}
	}
	if code, _, _ := get("/nope"); code != 404 {
		t.Errorf("unknown path: %d, want 404", code)
	}

	store.Publish(healthySetup())
	if code, _, body := get("/readyz"); code != 200 || !strings.Contains(body, `"ready": true`) {
		t.Fatalf("/readyz healthy: %d %s", code, body)
	}
}

func TestPageEscapesFindings(t *testing.T) {
	r := brokenSetup()
	r.Findings[0].Message = `<script>alert(1)</script>`
	var buf bytes.Buffer
	if err := RenderPage(&buf, View{Latest: &r, Started: time.Now()}, 5); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<script>") {
		t.Fatalf("finding text not escaped")
	}
}

// TestEndpointsShowControlCharactersAsEscapes plants a terminal attack (a
// colour, a clipboard write, a hyperlink, BEL, CR and a right-to-left
// override) in a hostname and a finding, and reads the page, /metrics and
// /readyz: each shows them as the text report does, never raw, and
// /metrics still parses.
func TestEndpointsShowControlCharactersAsEscapes(t *testing.T) {
	const attack = "evil\x1b[31m\x1b]52;c;cHduZWQ=\x07\x1b]8;;http://x\x1b\\\rbidi\u202eexe\u009b.example.com"
	r := brokenSetup()
	r.Snapshot.Ingress.Config.Rules[0].Hostname = attack
	r.Findings[0].Hostname = attack
	r.Findings[0].Message = "container web of " + attack + " exited"
	store := NewStore(watch.NewRedactor())
	store.Publish(r)
	srv := httptest.NewServer(Handler(store, 10))
	defer srv.Close()
	for _, path := range []string{"/", "/metrics", "/readyz"} {
		res, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body := string(b)
		if i := strings.IndexAny(body, "\x1b\x07\r\u202e\u009b"); i >= 0 {
			t.Errorf("%s: raw control character at %d: %q", path, i, body[max(0, i-60):min(len(body), i+20)])
		}
		esc := "x1b]52;"
		if path == "/readyz" {
			esc = `\u001b]52;` // JSON's own escape
		}
		if !strings.Contains(body, "evil") || !strings.Contains(body, esc) || !strings.Contains(body, `\u202e`) {
			t.Errorf("%s: the hostname is not shown with its escapes visible:\n%s", path, body)
		}
		if path == "/" && !strings.Contains(body, `evil\x1b[31m\x1b]52;c;cHduZWQ=\x07`) {
			t.Errorf("page: want the escapes as the text report writes them (\\x1b, \\x07):\n%s", body)
		}
		if path == "/metrics" && !strings.Contains(body, `hostname="evil\\x1b[31m`) {
			t.Errorf("metrics: want the label value's backslash escaped for the exposition format:\n%s", body)
		}
	}
}

func TestCrashedRunKeepsLastFactsAndIsNotReady(t *testing.T) {
	store := NewStore(nil)
	store.Publish(healthySetup())
	store.Publish(watch.Result{Seq: 4, Trigger: watch.TriggerInterval, Crash: "runtime error: nil map"})
	v := store.View()
	if v.Latest == nil || v.Latest.Snapshot == nil || v.Crashes != 1 {
		t.Fatalf("crash lost the last run's facts: %+v", v)
	}
	rd := Ready(v.Latest)
	if rd.Ready || !strings.Contains(strings.Join(rd.Reasons, " "), "crashed") {
		t.Fatalf("a crashed run must make /readyz fail with the reason: %+v", rd)
	}
	var buf bytes.Buffer
	if err := WriteMetrics(&buf, v); err != nil || !strings.Contains(buf.String(), "tunneldoctor_run_crashes_total 1") {
		t.Fatalf("crash counter missing: %v\n%s", err, buf.String())
	}
}
