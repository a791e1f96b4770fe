package checks_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

const (
	tAccount = "023e105f4ecef8ad9ca31a8372d0c353"
	tTunnel  = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"
)

// healthyEdge is a snapshot whose edge facts are all fine: no edge check
// but the connector info line fires on it.
func healthyEdge() *agent.Snapshot {
	now := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	zone := cfapi.Zone{ID: "5d4b4a6c1f9e8d7c6b5a4f3e2d1c0b01", Name: "example.com", Status: "active", RecordsRead: true,
		Records: []cfapi.Record{
			{ID: "r1", Name: "app.example.com", Type: "CNAME", Content: tTunnel + ".cfargotunnel.com", Proxied: true},
			{ID: "r2", Name: "*.example.com", Type: "CNAME", Content: tTunnel + ".cfargotunnel.com", Proxied: true},
		},
		Settings: cfapi.ZoneSettings{
			ProxyReadTimeout: cfapi.Setting{Value: "125", Read: true}, AlwaysOnline: cfapi.Setting{Value: "on", Read: true},
			DevelopmentMode: cfapi.Setting{Value: "off", Read: true}, OriginErrorPagePassThru: cfapi.Setting{Value: "off", Read: true},
		}}
	s := &agent.Snapshot{Taken: now}
	cfg := cfIngress()
	cfg.Rules = append(cfg.Rules[:0], cfg.Rules[0], cfg.Rules[5], cfg.Rules[7]) // app, *.example.com, catch-all
	s.Ingress.Config = cfg
	s.Edge.API = &cfapi.Facts{AccountID: tAccount, TunnelID: tTunnel,
		Token: &cfapi.TokenStatus{Owner: "user", ID: "t1", Status: "active", ExpiresOn: now.Add(365 * 24 * time.Hour)},
		Zones: []cfapi.Zone{zone}, ZonesListed: true, Hostnames: []string{"app.example.com", "*.example.com"},
		Tunnel:         &cfapi.Tunnel{ID: tTunnel, Name: "home", Status: "healthy", ConfigSrc: "local"},
		Connectors:     []cfapi.Connector{{ID: "c1", Version: "2026.8.0", Conns: []cfapi.Connection{{ColoName: "fra08"}}}},
		ConnectorsRead: true, Skipped: map[string]string{}, IncidentsRead: true,
	}
	s.Edge.Public = []cfapi.PublicResult{{Hostname: "app.example.com", Verdict: cfapi.VerdictOK}}
	return s
}

func TestHealthyEdgeHasNoProblems(t *testing.T) {
	got := edgeCodes(t, healthyEdge())
	if len(got) != 1 || len(got["CF033"]) != 1 || got["CF033"][0].Severity != agent.Info {
		t.Errorf("healthy edge gave %+v, want only the CF033 info line", got)
	}
}

// expectedCount: cases that yield more than one finding of their code.
var expectedCount = map[string]int{
	"zone not in account":  2, // app.example.com and *.example.com
	"wildcard dns answers": 2, // both hostnames resolve through the wildcard
	"replicas differ":      2, // the warning and the info line
}

func TestEdgeChecks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(s *agent.Snapshot)
		code   string
		sev    agent.Severity
		text   string
	}{
		{"token file unreadable", func(s *agent.Snapshot) {
			s.Edge.TokenSourceError = "CLOUDFLARE_API_TOKEN_FILE /run/secrets/cf: no such file"
			s.Edge.API = &cfapi.Facts{Skipped: map[string]string{cfapi.EndpointZones: cfapi.SkipNoToken}}
		}, "CF002", agent.Error, "/run/secrets/cf"},
		{"token refused", func(s *agent.Snapshot) {
			s.Edge.API.Token = nil
			s.Edge.API.TokenErr = &cfapi.CallError{Endpoint: cfapi.EndpointUserVerify, Status: 401, Codes: []int{1000}, Kind: cfapi.KindAuth, Message: "Invalid API Token"}
		}, "CF002", agent.Error, "Invalid API Token"},
		{"token revoked since verified", func(s *agent.Snapshot) {
			s.Edge.API.Tunnel = nil
			s.Edge.API.TunnelErr = &cfapi.CallError{Endpoint: cfapi.EndpointTunnel, Status: 401, Codes: []int{1000}, Kind: cfapi.KindAuth, Message: "Invalid API Token"}
		}, "CF002", agent.Error, "revoked or changed"},
		{"token expired", func(s *agent.Snapshot) { s.Edge.API.Token.Status = "expired" }, "CF002", agent.Error, "expired"},
		{"token disabled", func(s *agent.Snapshot) { s.Edge.API.Token.Status = "disabled" }, "CF002", agent.Error, "disabled"},
		{"token expires soon", func(s *agent.Snapshot) { s.Edge.API.Token.ExpiresOn = s.Taken.Add(50 * time.Hour) }, "CF002", agent.Warn, "expires in 2 day"},
		{"api 5xx", func(s *agent.Snapshot) {
			s.Edge.API.TunnelErr = &cfapi.CallError{Endpoint: cfapi.EndpointTunnel, Status: 502, Kind: cfapi.KindServer, Message: "Bad Gateway", Attempts: 2}
			s.Edge.API.Tunnel = nil
		}, "CF004", agent.Warn, "CF030"},
		{"rate limited", func(s *agent.Snapshot) {
			s.Edge.API.ZonesErr = &cfapi.CallError{Endpoint: cfapi.EndpointZones, Status: 429, Kind: cfapi.KindRateLimited, Message: "Please wait"}
		}, "CF004", agent.Warn, "rate_limited"},
		{"ids unknown", func(s *agent.Snapshot) {
			s.Edge.API.Tunnel, s.Edge.API.TunnelID = nil, ""
			s.Edge.API.Skipped[cfapi.EndpointTunnel] = cfapi.SkipNoTunnel
		}, "CF005", agent.Info, "--tunnel-id"},
		{"tunnel not found", func(s *agent.Snapshot) {
			s.Edge.API.Tunnel = nil
			s.Edge.API.TunnelErr = &cfapi.CallError{Endpoint: cfapi.EndpointTunnel, Status: 404, Codes: []int{7003}, Kind: cfapi.KindNotFound, Message: "Could not route"}
		}, "CF005", agent.Error, "no tunnel " + tTunnel},
		{"zone paused", func(s *agent.Snapshot) { s.Edge.API.Zones[0].Paused = true }, "CF010", agent.Error, "paused"},
		{"zone moved", func(s *agent.Snapshot) { s.Edge.API.Zones[0].Status = "moved" }, "CF011", agent.Error, "moved"},
		{"zone not in account", func(s *agent.Snapshot) { s.Edge.API.Zones = nil }, "CF012", agent.Warn, "account " + tAccount},
		{"wildcard dns answers", func(s *agent.Snapshot) {
			s.Edge.API.Zones[0].Records = s.Edge.API.Zones[0].Records[1:] // only *.example.com is left: app still resolves
			s.Edge.API.Zones[0].Records[0].Proxied = false
		}, "CF021", agent.Error, "DNS only"},
		{"cname to a live other tunnel", func(s *agent.Snapshot) {
			s.Edge.API.Zones[0].Records[0].Content = "c1744f8b-faa1-48a4-9e5c-02ac921467fa.cfargotunnel.com"
			s.Edge.API.OtherTunnels = map[string]cfapi.OtherTunnel{"c1744f8b-faa1-48a4-9e5c-02ac921467fa": {Found: true, Name: "staging", Status: "healthy"}}
		}, "CF022", agent.Warn, `"staging"`},
		{"aaaa bypass", func(s *agent.Snapshot) {
			s.Edge.API.Zones[0].Records[0] = cfapi.Record{ID: "r9", Name: "app.example.com", Type: "AAAA", Content: "2001:db8::1"}
		}, "CF023", agent.Error, "directly, without Cloudflare"},
		{"tunnel deleted", func(s *agent.Snapshot) { s.Edge.API.Tunnel.DeletedAt = s.Taken.Add(-time.Hour) }, "CF030", agent.Error, "deleted"},
		{"tunnel down", func(s *agent.Snapshot) {
			s.Edge.API.Tunnel.Status = "down"
			s.Edge.API.Tunnel.ConnsInactiveAt = s.Taken.Add(-time.Hour)
		}, "CF031", agent.Error, "530/1033"},
		{"tunnel inactive", func(s *agent.Snapshot) { s.Edge.API.Tunnel.Status = "inactive" }, "CF031", agent.Error, "ever connected"},
		{"tunnel degraded", func(s *agent.Snapshot) { s.Edge.API.Tunnel.Status = "degraded" }, "CF032", agent.Warn, "degraded"},
		{"replicas differ", func(s *agent.Snapshot) {
			s.Edge.API.Connectors = append(s.Edge.API.Connectors, cfapi.Connector{ID: "c2", Version: "2025.1.0", ConfigVersion: 3})
		}, "CF033", agent.Warn, "different configuration versions"},
		{"edge error 1033", func(s *agent.Snapshot) {
			s.Edge.Public[0] = cfapi.PublicResult{Hostname: "app.example.com", Verdict: cfapi.VerdictCloudflareError, Code: 1033,
				Page: cfapi.Page{Status: 530, CFErrorType: "1033"}}
		}, "CF070", agent.Error, "no cloudflared is connected"},
		{"origin 502 passed through", func(s *agent.Snapshot) {
			s.Edge.Public[0] = cfapi.PublicResult{Hostname: "app.example.com", Verdict: cfapi.VerdictOriginError, Code: 502,
				Page: cfapi.Page{Status: 502, Server: "nginx", CFRay: "8e-FRA"}}
		}, "CF071", agent.Error, "(Server: nginx)"},
		{"not through cloudflare", func(s *agent.Snapshot) {
			s.Edge.Public[0] = cfapi.PublicResult{Hostname: "app.example.com", Verdict: cfapi.VerdictNotCloudflare, Page: cfapi.Page{Status: 200}}
		}, "CF072", agent.Error, "without passing through Cloudflare"},
		{"unreachable", func(s *agent.Snapshot) {
			s.Edge.Public[0] = cfapi.PublicResult{Hostname: "app.example.com", Verdict: cfapi.VerdictUnreachable, Page: cfapi.Page{Error: "no such host"}}
		}, "CF073", agent.Warn, "no such host"},
		{"minor incident elsewhere", func(s *agent.Snapshot) {
			s.Edge.API.Incidents = []cfapi.Incident{{Name: "Delays in Sydney", Status: "monitoring", Impact: "minor", Components: []string{"Sydney, Australia - (SYD)"}}}
		}, "CF060", agent.Info, "Delays in Sydney"},
		{"dashboard ingress differs from the file", func(s *agent.Snapshot) {
			s.Edge.API.Tunnel.ConfigSrc = "cloudflare"
			s.Edge.API.RemoteConfig = &tunnelcfg.Config{Origin: tunnelcfg.FromAPI, Version: 7, Rules: []tunnelcfg.Rule{
				{Hostname: "app.example.com", Service: "http://other:9000"}, {Service: "http_status:404"}}}
			s.Ingress.File = s.Ingress.Config
		}, "CF040", agent.Warn, "differs in 2 rule(s)"},
		{"lowered read timeout past ttfb", func(s *agent.Snapshot) {
			s.Edge.API.Zones[0].Settings.ProxyReadTimeout.Value = "15"
			s.Probes.Results = append(s.Probes.Results, probeAt("app.example.com", 20*time.Second))
		}, "CF050", agent.Error, "past the zone's proxy_read_timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := healthyEdge()
			tc.mutate(s)
			got := edgeCodes(t, s)[tc.code]
			if want := max(expectedCount[tc.name], 1); len(got) != want {
				t.Fatalf("%s findings = %+v, want %d", tc.code, got, want)
			}
			if got[0].Severity != tc.sev || !strings.Contains(got[0].Message, tc.text) || got[0].Fix == "" {
				t.Errorf("%s = %v %q (fix %q), want %v containing %q", tc.code, got[0].Severity, got[0].Message, got[0].Fix, tc.sev, tc.text)
			}
		})
	}
}

func TestRemoteConfigConflictIsLeftToTheTunnelHopWhenConfigWasRead(t *testing.T) {
	s := healthyEdge()
	s.Edge.API.Tunnel.ConfigSrc = "cloudflare"
	s.Edge.API.RemoteConfig = &tunnelcfg.Config{Origin: tunnelcfg.FromAPI, Version: 7, Rules: []tunnelcfg.Rule{{Service: "http_status:404"}}}
	s.Ingress.File = s.Ingress.Config
	s.Ingress.Config = &tunnelcfg.Config{Origin: tunnelcfg.FromCloudflared, Version: 7, Rules: s.Edge.API.RemoteConfig.Rules}
	if got := edgeCodes(t, s)["CF040"]; len(got) != 0 {
		t.Errorf("CF040 although cloudflared's /config was read: %+v", got)
	}
}

func TestDefaultReadTimeoutIsLeftToTheProtocolChecks(t *testing.T) {
	s := healthyEdge() // proxy_read_timeout 125 = the default
	s.Probes.Results = append(s.Probes.Results, probeAt("app.example.com", 124*time.Second))
	if got := edgeCodes(t, s)["CF050"]; len(got) != 0 {
		t.Errorf("CF050 with the default timeout: %+v", got)
	}
}

func TestZoneFilterDoesNotRaiseMissingZones(t *testing.T) {
	s := healthyEdge()
	s.Edge.API.Zones, s.Edge.API.ZoneFilter = nil, []string{"example.org"}
	if got := edgeCodes(t, s)["CF012"]; len(got) != 0 {
		t.Errorf("hostnames outside --zone were reported: %+v", got)
	}
}

func TestTruncatedDNSListingProvesNoAbsence(t *testing.T) {
	s := healthyEdge()
	s.Edge.API.Zones[0].Records, s.Edge.API.Zones[0].Truncated = nil, true
	if got := edgeCodes(t, s)["CF020"]; len(got) != 0 {
		t.Errorf("a truncated listing raised CF020: %+v", got)
	}
}

// TestEdgeRuleMatchIsCloudflareds: whether a DNS record's requests reach a
// rule is cloudflared's case-sensitive ingress match, applied to the name
// as visitors send it. DNS names are case-insensitive, so Cloudflare stores
// App.example.com as app.example.com and browsers send that; a plain
// upper-case rule still matches it (cloudflared also keeps the rule's
// lowercase punycode form), an upper-case wildcard does not.
func TestEdgeRuleMatchIsCloudflareds(t *testing.T) {
	route := func(name string) cfapi.Record {
		return cfapi.Record{ID: "r-" + name, Name: cfapi.NormalizeHost(name), Type: "CNAME", Content: tTunnel + ".cfargotunnel.com", Proxied: true}
	}
	s := healthyEdge()
	z := &s.Edge.API.Zones[0]
	z.Records = []cfapi.Record{route("App.example.com"), route("shop.example.com"), route("Blog.Example.com")}
	s.Ingress.Config = &tunnelcfg.Config{Origin: tunnelcfg.FromFile, Version: tunnelcfg.LocalVersion, Rules: []tunnelcfg.Rule{
		{Index: 0, Hostname: "App.example.com", Service: "http://app:80"},
		{Index: 1, Hostname: "*.Example.com", Service: "http://web:80"},
		{Index: 2, Hostname: "blog.example.com", Service: "http://blog:80"},
		{Index: 3, Service: "http_status:404"},
	}}
	got := edgeCodes(t, s)["CF025"]
	if len(got) != 1 || got[0].Hostname != "shop.example.com" || got[0].Rule != 3 || !strings.Contains(got[0].Message, "no ingress rule matches it") {
		t.Fatalf("CF025 = %+v, want one finding: shop.example.com falls to the catch-all (the upper-case wildcard never matches it)", got)
	}
	// With the wildcard in lower case, cloudflared matches every record.
	s.Ingress.Config.Rules[1].Hostname = "*.example.com"
	if got := edgeCodes(t, s)["CF025"]; len(got) != 0 {
		t.Errorf("CF025 = %+v with a lowercase wildcard", got)
	}
}
