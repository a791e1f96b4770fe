package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
)

// TestSupportBundle: the bundle a user pastes into a ticket has the
// timestamps, versions, the failing URL with the visitor's answer and
// /cdn-cgi/trace, the hop chain and the findings; and no secret.
func TestSupportBundle(t *testing.T) {
	snap := sampleSnapshot()
	connected := true
	snap.Tunnel.Connected = &connected
	snap.Cloudflared.Metrics = &cloudflared.Metrics{Version: "2026.5.0"}
	snap.Edge.Public = []cfapi.PublicResult{{Hostname: "app.example.com", Code: 502, Verdict: "origin_error",
		Page:  cfapi.Page{Status: 502, CFRay: "8f1e2d3c4b5a6978-AMS", Server: "cloudflare"},
		Trace: cfapi.Trace{Status: 200, Cloudflare: true, Colo: "AMS", Loc: "NL", HTTP: "http/2", TLS: "TLSv1.3"}}}
	var findings []agent.Finding
	for _, f := range sampleFindings() {
		if f.Code != "TUN001" { // the tunnel is up here
			findings = append(findings, f)
		}
	}
	apiToken := "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo"
	findings = append(findings, agent.Finding{Code: "ORG001", Severity: agent.Error, Hop: agent.HopOrigin, Rule: 0, Hostname: "app.example.com",
		Message: "container web exited; its env had TUNNEL_TOKEN=" + fakeTunnelToken,
		Fix:     "Start the origin container:\ndocker start web\n  # its env: CLOUDFLARE_API_TOKEN=" + apiToken, Evidence: map[string]string{"env": "CLOUDFLARE_API_TOKEN=" + apiToken}})
	var buf bytes.Buffer
	if err := Support(&buf, snap, findings, SupportOptions{Version: "v1.2.3", Now: time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC), ExitCode: 2}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"written:      2026-11-22T03:00:00Z", "facts taken:  2026-11-22T02:30:00Z",
		"tunneldoctor: v1.2.3", "version 2026.5.0",
		"## failing: https://app.example.com/",
		"status 502, cf-ray 8f1e2d3c4b5a6978-AMS",
		"cdn-cgi/trace: status 200, cloudflare true, colo AMS",
		"hops:         edge not checked -> tunnel ok -> ingress ok -> network ERROR NET002 -> origin ERROR ORG001",
		"ERROR NET002 [network]",
		// every line of a multi-line fix, indented under its first
		"    fix: docker network connect app_default cloudflared\n\n         # or in compose, under the cloudflared service:\n         networks:\n           - app_default\n",
		"    fix: Start the origin container:\n         docker start web\n           # its env: CLOUDFLARE_API_TOKEN=",
		"exit code 2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("bundle lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{fakeTunnelToken, apiToken} {
		if strings.Contains(out, secret) {
			t.Errorf("bundle leaks %q:\n%s", secret, out)
		}
	}
}
