package status

import (
	"encoding/base64"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/agent/watch"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// tunnelToken is a token-shaped secret planted in a finding's evidence: no
// output of this package may show it.
var tunnelToken = base64.StdEncoding.EncodeToString([]byte(
	`{"a":"0123456789abcdef0123456789abcdef","t":"6ff42ae2-765d-4adf-8112-31c55c1551ef","s":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}`))

func ptr[T any](v T) *T { return &v }

// brokenSetup is a hand-built run: three rules; the web container exited
// (red container hop on rule 0), the api certificate expires soon (amber
// protocol hop on rule 1), the Cloudflare API was not checked (grey edge on
// every row), the tunnel is connected.
func brokenSetup() watch.Result {
	cfg := &tunnelcfg.Config{Origin: tunnelcfg.FromFile, Version: tunnelcfg.LocalVersion, Rules: []tunnelcfg.Rule{
		{Index: 0, Hostname: "app.example.com", Service: "http://web:8080"},
		{Index: 1, Hostname: "api.example.com", Service: "https://api:8443"},
		{Index: 2, Service: "http_status:404"},
	}}
	snap := &agent.Snapshot{
		Taken:   time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC),
		Tunnel:  agent.TunnelInfo{ID: "6ff42ae2-765d-4adf-8112-31c55c1551ef", Cloudflared: "cloudflared", ConfigSource: "file", ConfigVersion: -1, Connected: ptr(true)},
		Ingress: agent.IngressFacts{Config: cfg},
		Probes: agent.ProbeFacts{Vantage: agent.VantageCloudflared, Results: []probe.Result{{
			Target:  probe.Target{Rule: 1, Hostname: "api.example.com", Service: "https://api:8443"},
			Total:   61 * time.Millisecond,
			DNS:     &probe.DNSPhase{Host: "api", Duration: 2 * time.Millisecond},
			Connect: &probe.ConnectPhase{Address: "172.18.0.4:8443", Duration: time.Millisecond},
			TLS:     &probe.TLSPhase{Duration: 12 * time.Millisecond, Done: true},
			HTTP:    &probe.HTTPPhase{Status: 200, TTFB: 45 * time.Millisecond},
		}}},
	}
	findings := []agent.Finding{
		{Code: "ORG001", Severity: agent.Error, Hop: agent.HopOrigin, Hostname: "app.example.com", Rule: 0, Service: "http://web:8080",
			Message: "container web exited with code 137 (OOM-killed)", Fix: "docker start web\n# compose: deploy.resources.limits.memory: 512m",
			Evidence: map[string]string{"exit_code": "137", "cloudflared_cmd": "tunnel run --token " + tunnelToken}},
		{Code: "PRB020", Severity: agent.Warn, Hop: agent.HopProtocol, Hostname: "api.example.com", Rule: 1, Service: "https://api:8443",
			Message: "the origin certificate for api expires in 5 days", Fix: "renew the certificate of api"},
		{Code: "CF001", Severity: agent.Skipped, Hop: agent.HopEdge, Rule: agent.NoRule,
			Message: "Cloudflare checks: skipped, edge: no API token"},
		{Code: "NET001", Severity: agent.Info, Hop: agent.HopNetwork, Rule: agent.NoRule,
			Message: "probed from cloudflared's network namespace"},
	}
	return watch.Result{
		Seq: 3, Trigger: watch.TriggerEvent, Started: snap.Taken, Duration: 420 * time.Millisecond,
		Snapshot: snap, Findings: findings, Open: findings[:2],
	}
}

// healthySetup is brokenSetup with the problems fixed.
func healthySetup() watch.Result {
	r := brokenSetup()
	r.Findings = r.Findings[2:]
	r.Open = nil
	return r
}

func withConnected(s *agent.Snapshot, c *bool) *agent.Snapshot {
	cp := *s
	cp.Tunnel.Connected = c
	return &cp
}
