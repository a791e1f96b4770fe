package checks_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfapitest"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfclient"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/agent/report"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// cfIngress is the live ingress the API fixtures are written for.
func cfIngress() *tunnelcfg.Config {
	hosts := []string{"app.example.com", "api.example.com", "old.example.com", "direct.example.com",
		"missing.example.com", "*.example.com", "shop.example.net", ""}
	cfg := &tunnelcfg.Config{Origin: tunnelcfg.FromFile, Version: tunnelcfg.LocalVersion, Path: "/etc/cloudflared/config.yml"}
	for i, h := range hosts {
		svc := "http://web:8080"
		if h == "" {
			svc = "http_status:404"
		}
		cfg.Rules = append(cfg.Rules, tunnelcfg.Rule{Index: i, Hostname: h, Service: svc})
	}
	return cfg
}

// edgeCodes runs only the edge-hop checks and returns code -> findings.
func edgeCodes(t *testing.T, s *agent.Snapshot) map[string][]agent.Finding {
	t.Helper()
	out := map[string][]agent.Finding{}
	for _, f := range agent.Run(s, checks.All()) {
		if f.Hop == agent.HopEdge && f.Severity != agent.Skipped {
			out[f.Code] = append(out[f.Code], f)
		}
	}
	return out
}

func hostsOf(fs []agent.Finding) string {
	var hs []string
	for _, f := range fs {
		hs = append(hs, f.Hostname)
	}
	sort.Strings(hs)
	return strings.Join(hs, " ")
}

// TestEdgeChecksOnTheFakeAPI drives the real client against the local API
// stand-in and judges what it collected: every fixture problem is named once.
func TestEdgeChecksOnTheFakeAPI(t *testing.T) {
	api := cfapitest.New(t)
	client := cfclient.New(cfclient.Config{Token: cfapitest.Token, BaseURL: api.BaseURL(), StatusPageURL: api.StatusPageURL()}, nil)
	facts := client.Collect(context.Background(), cfclient.Request{AccountID: cfapitest.Account, TunnelID: cfapitest.Tunnel,
		Hostnames: cfapitest.Hostnames(), StatusPage: true})

	live := cfIngress()
	file := cfIngress() // the mounted file, ignored: the tunnel is dashboard-managed
	s := &agent.Snapshot{Taken: time.Now()}
	s.Ingress.Config, s.Ingress.File = live, file
	s.Edge.API = facts
	s.Probes.Results = []probe.Result{{Target: probe.Target{Rule: 0, Hostname: "app.example.com", Service: "http://web:8080"},
		HTTP: &probe.HTTPPhase{Status: 200, TTFB: 27 * time.Second}}}
	s.Edge.Public = []cfapi.PublicResult{{Hostname: "app.example.com", Verdict: cfapi.VerdictOK, Trace: cfapi.Trace{Cloudflare: true, Colo: "FRA"}}}
	s.Docker.Missing, s.Cloudflared.Missing = "not in this test", "not in this test"

	got := edgeCodes(t, s)
	want := map[string]string{
		"CF011": "shop.example.net",    // example.net is pending
		"CF020": "missing.example.com", // no record
		"CF021": "api.example.com",     // DNS only
		"CF022": "old.example.com",     // CNAME to a deleted tunnel
		"CF023": "direct.example.com",  // A record
		"CF024": "example.com",         // apex routed, only *.example.com
		"CF025": "legacy.example.net",  // routed here, no rule
		"CF033": " ",                   // connector lags the dashboard version + the info line
		"CF040": "",                    // dashboard config differs from the file
		"CF050": "app.example.com",     // 27 s TTFB, zone timeout 30 s
		"CF051": "app.example.com shop.example.net",
		"CF052": "app.example.com shop.example.net",
		"CF053": "app.example.com shop.example.net",
		"CF060": "", // an incident in FRA, the colo serving this machine
	}
	for code, hosts := range want {
		if h := hostsOf(got[code]); h != hosts {
			t.Errorf("%s: findings for %q, want %q (%+v)", code, h, hosts, got[code])
		}
	}
	for code, fs := range got {
		if _, ok := want[code]; !ok {
			t.Errorf("unexpected %s: %+v", code, fs)
		}
	}
	if f := got["CF022"]; len(f) == 1 && (f[0].Severity != agent.Error || !strings.Contains(f[0].Message, "deleted tunnel")) {
		t.Errorf("CF022 = %+v", f[0])
	}
	if f := got["CF060"]; len(f) == 1 && f[0].Severity != agent.Warn {
		t.Errorf("an incident in the serving colo must warn: %+v", f[0])
	}
	if f := got["CF050"]; len(f) == 1 && f[0].Severity != agent.Warn {
		t.Errorf("CF050 = %+v", f[0])
	}
}

// TestEdgeChecksRaiseNoFalseAlarmWhenFactsAreMissing: a token without any
// permission yields CF003 per permission and nothing else.
func TestEdgeChecksRaiseNoFalseAlarmWhenFactsAreMissing(t *testing.T) {
	api := cfapitest.New(t)
	for _, p := range []string{"/zones", "/accounts/" + cfapitest.Account + "/cfd_tunnel/" + cfapitest.Tunnel,
		"/accounts/" + cfapitest.Account + "/cfd_tunnel/" + cfapitest.Tunnel + "/connections"} {
		api.JSON(p, 403, "error_403_10000.json")
	}
	client := cfclient.New(cfclient.Config{Token: cfapitest.Token, BaseURL: api.BaseURL(), StatusPageURL: api.StatusPageURL()}, nil)
	s := &agent.Snapshot{Taken: time.Now()}
	s.Ingress.Config = cfIngress()
	s.Edge.API = client.Collect(context.Background(), cfclient.Request{AccountID: cfapitest.Account, TunnelID: cfapitest.Tunnel,
		Hostnames: cfapitest.Hostnames()})
	got := edgeCodes(t, s)
	if len(got["CF003"]) != 2 {
		t.Fatalf("CF003 = %+v, want one per missing permission (Zone Read, Tunnel Read)", got["CF003"])
	}
	for _, f := range got["CF003"] {
		if !strings.Contains(f.Evidence["skipped_checks"], "CF0") || !strings.Contains(f.Fix, "Read") {
			t.Errorf("CF003 without the skipped checks or the permission: %+v", f)
		}
	}
	for code := range got {
		if code != "CF003" {
			t.Errorf("false alarm %s from missing facts: %+v", code, got[code])
		}
	}
}

func TestNoTokenIsOneInfoFinding(t *testing.T) {
	client := cfclient.New(cfclient.Config{}, nil)
	s := &agent.Snapshot{Taken: time.Now()}
	s.Ingress.Config = cfIngress()
	s.Edge.API = client.Collect(context.Background(), cfclient.Request{Hostnames: cfapitest.Hostnames()})
	got := edgeCodes(t, s)
	if len(got) != 1 || len(got["CF001"]) != 1 {
		t.Fatalf("findings = %+v, want exactly one CF001", got)
	}
	f := got["CF001"][0]
	for _, perm := range cfapi.AllPermissions {
		if !strings.Contains(f.Fix, perm) {
			t.Errorf("CF001 fix does not name %q: %s", perm, f.Fix)
		}
	}
	if f.Severity != agent.Info || !strings.Contains(f.Message, "CF020") {
		t.Errorf("CF001 = %+v", f)
	}
}

// TestTokenNeverLeaks runs collection through failures with debug logging,
// and renders every finding: the token appears nowhere.
func TestTokenNeverLeaks(t *testing.T) {
	api := cfapitest.New(t)
	api.JSON("/zones/"+cfapitest.ZoneCom+"/dns_records", 403, "error_403_9109.json")
	api.JSON("/accounts/"+cfapitest.Account+"/cfd_tunnel/"+cfapitest.Tunnel, 429, "error_429.json", "Retry-After", "3600")
	var logs strings.Builder
	log := zerolog.New(zerolog.SyncWriter(&logs)).Level(zerolog.DebugLevel) // calls run concurrently
	client := cfclient.New(cfclient.Config{Token: cfapitest.Token, BaseURL: api.BaseURL(), StatusPageURL: api.StatusPageURL(), Logger: log}, nil)
	s := &agent.Snapshot{Taken: time.Now()}
	s.Ingress.Config = cfIngress()
	s.Edge.API = client.Collect(context.Background(), cfclient.Request{AccountID: cfapitest.Account, TunnelID: cfapitest.Tunnel,
		Hostnames: cfapitest.Hostnames(), StatusPage: true})
	log.Debug().Interface("token", cfapi.Token(cfapitest.Token)).Interface("facts", s.Edge.API).Msg("everything")
	findings := agent.Run(s, checks.All())
	var out strings.Builder
	for _, f := range findings {
		out.WriteString(f.Message + f.Fix)
		for k, v := range f.Evidence {
			out.WriteString(k + v)
		}
	}
	var jsonOut, textOut strings.Builder
	if err := report.JSON(&jsonOut, s, findings, 2); err != nil {
		t.Fatal(err)
	}
	if err := report.Text(&textOut, s, findings, report.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	tok := cfapi.Token(cfapitest.Token)
	for name, text := range map[string]string{"logs": logs.String(), "findings": out.String(),
		"fmt": fmtAll(tok, s.Edge.API), "json report": jsonOut.String(), "text report": textOut.String()} {
		if strings.Contains(text, cfapitest.Token) {
			t.Errorf("the API token appears in %s", name)
		}
	}
	if !strings.Contains(logs.String(), "cloudflare api call") || len(findings) == 0 {
		t.Error("nothing was logged or found: the test proves nothing")
	}
}
