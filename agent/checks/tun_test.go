package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Real cloudflared 2026.8 lines (fact sheet §4) fed through the classifier,
// so these tests judge exactly what the collector would record.
const (
	lineRegistered   = `2026-11-22T02:15:44Z INF Registered tunnel connection connIndex=0 connection=f347adab-43d8-4fed-9a00-a77f800e8069 event=0 ip=198.41.200.13 location=ams01 protocol=quic`
	lineBadToken     = `Provided Tunnel token is not valid.`
	lineFlagAfterRun = `Incorrect Usage: flag provided but not defined: -metrics`
	lineSRV          = `2026-11-22T02:15:45Z ERR edge discovery: error looking up Cloudflare edge IPs: the DNS query failed error="lookup _v2-origintunneld._tcp.argotunnel.com on 127.0.0.11:53: server misbehaving" event=0`
	lineQUIC         = `2026-11-22T02:15:45Z ERR Failed to dial a quic connection error="failed to dial to edge with quic: timeout: no recent network activity" connIndex=0 event=0 ip=198.41.192.227`
	lineFallback     = `2026-11-22T02:15:46Z INF Switching to fallback protocol http2 connIndex=0 event=0 ip=198.41.192.227`
	lineTCP          = `2026-11-22T02:15:46Z ERR Unable to establish connection with Cloudflare edge error="DialContext error: dial tcp 198.41.192.7:7844: i/o timeout" connIndex=0 event=0 ip=198.41.192.7`
	lineUnauthorized = `2026-11-22T02:15:46Z ERR Register tunnel error from server side error="Unauthorized: Invalid tunnel secret" connIndex=0 event=0 ip=198.41.200.193`
	lineStartFailed  = `2026-11-22T02:15:46Z ERR Couldn't start tunnel error="The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)"`
	lineOriginRefuse = `2026-11-22T02:15:47Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: dial tcp 127.0.0.1:8080: connect: connection refused" connIndex=0 event=1 ingressRule=0 originService=http://localhost:8080`
	lineOriginDNS    = `{"connIndex":1,"error":"Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: dial tcp: lookup api on 127.0.0.11:53: no such host","event":1,"ingressRule":1,"level":"error","originService":"http://api:3000","time":"2026-11-22T02:15:48Z"}`
	linePushFailed   = `2026-11-22T02:15:49Z ERR Failed to update ingress error="invalid HTTP status code: 9999" version=4`
)

var (
	ready503 = &cloudflared.Ready{Status: 503, ConnectorID: "c"}
	ready200 = &cloudflared.Ready{Status: 200, ReadyConnections: 4, ConnectorID: "c"}
)

func tunSnap(p *agent.ProcessState, ready *cloudflared.Ready, lines ...string) *agent.Snapshot {
	s := &agent.Snapshot{Taken: time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)}
	s.Cloudflared = agent.CloudflaredFacts{
		Container:  "tunnel-cloudflared-1",
		Process:    p,
		Command:    []string{"cloudflared", "--no-autoupdate", "tunnel", "run", "--token", "[REDACTED]", "--metrics", "0.0.0.0:20241"},
		Entrypoint: []string{"cloudflared", "--no-autoupdate"},
		Ready:      ready,
		Events:     cloudflared.Classify(lines, nil),
		LogLines:   len(lines),
	}
	return s
}

var (
	running    = &agent.ProcessState{State: "running", StartedAt: time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)}
	restarting = &agent.ProcessState{State: "restarting", RestartCount: 7, ExitCode: 1}
	exited0    = &agent.ProcessState{State: "exited", ExitCode: 0}
)

// codes runs every tunnel check and returns the codes found (and the findings).
func codes(t *testing.T, s *agent.Snapshot) (map[string]agent.Finding, []agent.Finding) {
	t.Helper()
	fs := agent.Run(s, tunnelChecks())
	m := map[string]agent.Finding{}
	for _, f := range fs {
		if f.Severity == agent.Skipped {
			t.Fatalf("skipped: %s", f.Message)
		}
		m[f.Code] = f
	}
	return m, fs
}

func TestTunnelCauses(t *testing.T) {
	cases := []struct {
		name     string
		snap     *agent.Snapshot
		want     string
		sev      agent.Severity
		inFix    string
		notCodes []string
	}{
		{"invalid token", tunSnap(restarting, nil, lineBadToken, lineBadToken), "TUN002", agent.Error, "TUNNEL_TOKEN", []string{"TUN001", "TUN008"}},
		{"flag after run", tunSnap(exited0, nil, lineFlagAfterRun), "TUN003", agent.Error,
			"command: tunnel --metrics 0.0.0.0:20241 run --token [REDACTED]", []string{"TUN001"}},
		{"edge dns", tunSnap(restarting, nil, lineSRV), "TUN004", agent.Error, "dns:", []string{"TUN001"}},
		{"quic blocked", tunSnap(running, ready503, lineQUIC, lineQUIC), "TUN005", agent.Error, "--protocol http2", []string{"TUN008"}},
		{"quic fell back", tunSnap(running, ready200, lineQUIC, lineFallback, lineRegistered), "TUN005", agent.Info, "UDP 7844", nil},
		{"tcp blocked", tunSnap(running, ready503, lineTCP), "TUN006", agent.Error, "7844", []string{"TUN008"}},
		{"unauthorized", tunSnap(running, ready503, lineUnauthorized), "TUN007", agent.Error, "current token", []string{"TUN008"}},
		{"start failed", tunSnap(restarting, nil, lineStartFailed), "TUN011", agent.Error, "ingress validate", []string{"TUN001"}},
		{"not running, no cause", tunSnap(restarting, nil), "TUN001", agent.Error, "docker logs", nil},
		{"up, 503, no cause", tunSnap(running, ready503), "TUN008", agent.Error, "docker logs", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, all := codes(t, tc.snap)
			f, ok := got[tc.want]
			if !ok {
				t.Fatalf("no %s; findings: %+v", tc.want, all)
			}
			if f.Severity != tc.sev {
				t.Errorf("severity %v, want %v", f.Severity, tc.sev)
			}
			if !strings.Contains(f.Fix, tc.inFix) {
				t.Errorf("fix %q does not contain %q", f.Fix, tc.inFix)
			}
			if f.Evidence["container"] != "tunnel-cloudflared-1" {
				t.Errorf("evidence = %v", f.Evidence)
			}
			for _, c := range tc.notCodes {
				if _, dup := got[c]; dup {
					t.Errorf("%s reported beside %s: one failure, one finding", c, tc.want)
				}
			}
		})
	}
}

func TestTunnelHealthyIsQuiet(t *testing.T) {
	s := tunSnap(running, ready200, lineRegistered, lineRegistered)
	s.Cloudflared.MetricsAddr = "127.0.0.1:20241"
	// Old failures before the last registration are history.
	s2 := tunSnap(running, ready200, lineUnauthorized, lineTCP, lineRegistered)
	for _, snap := range []*agent.Snapshot{s, s2} {
		if _, fs := codes(t, snap); len(fs) != 0 {
			t.Errorf("healthy tunnel gave findings: %+v", fs)
		}
	}
}

func TestTunnelSkippedWithoutFacts(t *testing.T) {
	s := &agent.Snapshot{}
	s.Cloudflared.Missing = "no cloudflared container found"
	for _, f := range agent.Run(s, tunnelChecks()) {
		if f.Severity != agent.Skipped || !strings.Contains(f.Message, "no cloudflared container found") {
			t.Errorf("finding %+v, want skipped with the reason", f)
		}
	}
}

func TestTunnelMetricsUnreachable(t *testing.T) {
	s := tunSnap(running, nil)
	s.Cloudflared.Command = []string{"cloudflared", "--no-autoupdate", "tunnel", "run", "--token", "[REDACTED]"}
	s.Cloudflared.MetricsError = "no cloudflared metrics server answered at 172.18.0.2:20241"
	got, _ := codes(t, s)
	f, ok := got["TUN009"]
	if !ok {
		t.Fatal("no TUN009")
	}
	if !strings.Contains(f.Fix, "command: tunnel --metrics 0.0.0.0:20241 run --token [REDACTED]") {
		t.Errorf("fix = %q", f.Fix)
	}
	// Bound to loopback in another namespace: say so.
	s.Cloudflared.MetricsFlag = "127.0.0.1:20241"
	got, _ = codes(t, s)
	if f := got["TUN009"]; !strings.Contains(f.Fix, "network_mode: service:cloudflared") || !strings.Contains(f.Fix, "0.0.0.0:20241") {
		t.Errorf("fix = %q", f.Fix)
	}
}

func TestTunnelOriginErrorsPerRule(t *testing.T) {
	s := tunSnap(running, ready200, lineRegistered, lineOriginRefuse, lineOriginRefuse, lineOriginDNS)
	s.Cloudflared.Config = &tunnelcfg.Config{Version: -1, Rules: []tunnelcfg.Rule{
		{Index: 0, Hostname: "app.example.com", Service: "http://localhost:8080"},
		{Index: 1, Hostname: "api.example.com", Service: "http://api:3000"},
		{Index: 2, Service: "http_status:404"},
	}}
	_, fs := codes(t, s)
	var got []agent.Finding
	for _, f := range fs {
		if f.Code == "TUN010" {
			got = append(got, f)
		}
	}
	if len(got) != 2 {
		t.Fatalf("%d TUN010 findings, want one per rule (2): %+v", len(got), got)
	}
	byRule := map[int]agent.Finding{}
	for _, f := range got {
		byRule[f.Rule] = f
	}
	r0, r1 := byRule[0], byRule[1]
	if r0.Hostname != "app.example.com" || r0.Evidence["count"] != "2" || r0.Evidence["cause_kind"] != cloudflared.OriginCauseRefused ||
		!strings.Contains(r0.Fix, "cloudflared's own container") {
		t.Errorf("rule 0 finding = %+v", r0)
	}
	if r1.Hostname != "api.example.com" || r1.Service != "http://api:3000" || !strings.Contains(r1.Fix, "docker network connect") {
		t.Errorf("rule 1 finding = %+v", r1)
	}
}

func TestTunnelConfigConflicts(t *testing.T) {
	file := &tunnelcfg.Config{Origin: tunnelcfg.FromFile, Path: "/etc/cloudflared/config.yml", Version: -1, Rules: []tunnelcfg.Rule{
		{Index: 0, Hostname: "app.example.com", Service: "http://web:8080"},
		{Index: 1, Service: "http_status:404"},
	}}
	remote := &tunnelcfg.Config{Origin: tunnelcfg.FromCloudflared, Version: 3, Rules: []tunnelcfg.Rule{
		{Index: 0, Hostname: "app.example.com", Service: "http://web:80"},
		{Index: 1, Service: "http_status:404"},
	}}
	s := tunSnap(running, ready200, lineRegistered)
	s.Cloudflared.Config, s.Ingress.File = remote, file
	s.Ingress.Settings = &tunnelcfg.Settings{URL: "http://localhost:8080", NoTLSVerify: true}
	got, _ := codes(t, s)
	f, ok := got["TUN012"]
	if !ok || f.Severity != agent.Warn || !strings.Contains(f.Evidence["differences"], "http://web:80") ||
		!strings.Contains(f.Evidence["differences"], "http://web:8080") {
		t.Errorf("TUN012 = %+v (found %v)", f, ok)
	}
	if f := got["TUN013"]; !strings.Contains(f.Message, "--url http://localhost:8080") || !strings.Contains(f.Message, "--no-tls-verify") {
		t.Errorf("TUN013 = %+v", f)
	}
	if _, ok := got["TUN014"]; ok {
		t.Error("TUN014 for a dashboard-managed tunnel")
	}

	// Locally managed, file edited since start.
	local := *remote
	local.Version = -1
	s.Cloudflared.Config = &local
	got, _ = codes(t, s)
	if f, ok := got["TUN014"]; !ok || !strings.Contains(f.Fix, "docker restart tunnel-cloudflared-1") {
		t.Errorf("TUN014 = %+v (found %v)", f, ok)
	}
	for _, c := range []string{"TUN012", "TUN013"} {
		if _, ok := got[c]; ok {
			t.Errorf("%s for a locally managed tunnel", c)
		}
	}
	// Same rules: nothing.
	s.Cloudflared.Config = &tunnelcfg.Config{Version: -1, Rules: file.Rules}
	got, _ = codes(t, s)
	if _, ok := got["TUN014"]; ok {
		t.Error("TUN014 although the rules match")
	}
}

func TestTunnelConfigPushFailed(t *testing.T) {
	s := tunSnap(running, ready200, lineRegistered, linePushFailed)
	got, _ := codes(t, s)
	if f, ok := got["TUN015"]; !ok || !strings.Contains(f.Message, "invalid HTTP status code: 9999") {
		t.Errorf("TUN015 = %+v (found %v)", f, ok)
	}
}

// TestFlagAfterRunFix is the command line that once came out as
// `tunnel --http2-origin --token --metrics 0.0.0.0:2000 run [REDACTED]`:
// --http2-origin takes no value, so it must not swallow --token, whose
// value must stay beside it.
func TestFlagAfterRunFix(t *testing.T) {
	s := tunSnap(exited0, nil, lineFlagAfterRun)
	s.Cloudflared.Command = []string{"cloudflared", "--no-autoupdate", "tunnel", "run", "--http2-origin", "--token", "[REDACTED]", "--metrics", "0.0.0.0:2000"}
	got, all := codes(t, s)
	f, ok := got["TUN003"]
	if !ok {
		t.Fatalf("no TUN003 in %+v", all)
	}
	want := "In compose: `command: tunnel --metrics 0.0.0.0:2000 run --http2-origin --token [REDACTED]`\n" +
		"(full command line: cloudflared --no-autoupdate tunnel --metrics 0.0.0.0:2000 run --http2-origin --token [REDACTED])"
	if f.Fix != want {
		t.Errorf("fix\n%s\nwant\n%s", f.Fix, want)
	}
	// A run-only flag stuck in the image's entrypoint: compose's command:
	// cannot move it, so only the full line is offered.
	s.Cloudflared.Command = []string{"cloudflared", "--token", "[REDACTED]", "tunnel", "run", "--metrics", "0.0.0.0:2000"}
	s.Cloudflared.Entrypoint = []string{"cloudflared", "--token", "[REDACTED]"}
	got, _ = codes(t, s)
	if f := got["TUN003"]; f.Fix != "Run cloudflared as: cloudflared tunnel --metrics 0.0.0.0:2000 run --token [REDACTED]" {
		t.Errorf("fix = %q", f.Fix)
	}
}

func TestTunnelOldRestartsAreHistory(t *testing.T) {
	p := &agent.ProcessState{State: "running", RestartCount: 5, StartedAt: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}
	if got, _ := codes(t, tunSnap(p, ready200, lineRegistered)); len(got) != 0 {
		t.Errorf("a working cloudflared with old restarts gave %v", got)
	}
	p = &agent.ProcessState{State: "running", RestartCount: 5, StartedAt: time.Date(2026, 11, 22, 2, 59, 50, 0, time.UTC)}
	got, _ := codes(t, tunSnap(p, ready503))
	if f, ok := got["TUN001"]; !ok || !strings.Contains(f.Message, "crash-looping") {
		t.Errorf("TUN001 = %+v (found %v)", f, ok)
	}
}

func TestTunnelDegraded(t *testing.T) {
	s := tunSnap(running, &cloudflared.Ready{Status: 200, ReadyConnections: 2}, lineRegistered, lineRegistered)
	got, _ := codes(t, s)
	if f, ok := got["TUN016"]; !ok || !strings.Contains(f.Message, "2 of its 4") {
		t.Errorf("TUN016 = %+v (found %v)", f, ok)
	}
	s.Ingress.Settings = &tunnelcfg.Settings{Flags: map[string]tunnelcfg.FlagValue{"ha-connections": {Value: "2", Source: "cli"}}}
	if got, _ := codes(t, s); len(got) != 0 {
		t.Errorf("2 of --ha-connections 2 gave %v", got)
	}
	young := &agent.ProcessState{State: "running", StartedAt: s.Taken.Add(-30 * time.Second)}
	if got, _ := codes(t, tunSnap(young, &cloudflared.Ready{Status: 200, ReadyConnections: 1})); len(got) != 0 {
		t.Errorf("a cloudflared started 30 s ago gave %v", got)
	}
}

// A crash-looping container caught while Docker has just started it again:
// the restart count has gone up and State.ExitCode reads 0 (Docker resets it
// at each start), so TUN001 must not report "last exit code 0".
func TestTunnelCrashLoopRunningHidesResetExitCode(t *testing.T) {
	taken := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	p := &agent.ProcessState{State: "running", ExitCode: 0, RestartCount: 3,
		StartedAt: taken.Add(-time.Second), FinishedAt: taken.Add(-2 * time.Second)}
	s := tunSnap(p, nil,
		`"cloudflared tunnel run" requires the ID or name of the tunnel to run as the last command line argument or in the configuration file.`)
	s.Taken = taken
	s.Cloudflared.ReadyError = "dial tcp 172.18.0.2:20241: connect: connection refused"
	got, _ := codes(t, s)
	f, ok := got["TUN001"]
	if !ok {
		t.Fatalf("no TUN001: %v", got)
	}
	for _, w := range []string{"crash-looping", "restarted it 3 times", "last exit code is unknown while it runs", "requires the ID or name of the tunnel"} {
		if !strings.Contains(f.Message, w) {
			t.Errorf("message lacks %q: %s", w, f.Message)
		}
	}
	if strings.Contains(f.Message, "exit code 0") {
		t.Errorf("reports Docker's reset exit code: %s", f.Message)
	}
	if _, ok := f.Evidence["exit_code"]; ok || f.Evidence["restart_count"] != "3" {
		t.Errorf("evidence: %v", f.Evidence)
	}
	// Between two restarts Docker has the real exit code, and it is said.
	p = &agent.ProcessState{State: "restarting", ExitCode: 255, RestartCount: 3}
	got, _ = codes(t, tunSnap(p, nil))
	if !strings.Contains(got["TUN001"].Message, "last exit code 255") {
		t.Errorf("restarting: %s", got["TUN001"].Message)
	}
}
