package cfclient

import (
	"context"
	"testing"

	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

func TestCollectReadsEveryFactWithFewCalls(t *testing.T) {
	f := newFakeAPI(t)
	facts := f.client(cfapi.NewCache(), zerolog.Nop()).Collect(context.Background(), testRequest())

	if facts.Token == nil || facts.Token.Status != "active" || facts.Token.Owner != "user" {
		t.Fatalf("token = %+v, err %v", facts.Token, facts.TokenErr)
	}
	if len(facts.Zones) != 2 || !facts.ZonesListed {
		t.Fatalf("zones = %+v, err %v", facts.Zones, facts.ZonesErr)
	}
	com := facts.ZoneFor("app.example.com")
	if com == nil || com.Name != "example.com" || !com.RecordsRead {
		t.Fatalf("zone of app.example.com = %+v", com)
	}
	// MX, and records neither at an ingress hostname nor routing to a tunnel, are dropped.
	for _, r := range com.Records {
		if r.Type == "MX" || r.Name == "www.example.com" || r.Name == "blog.example.com" {
			t.Errorf("kept an irrelevant record %+v", r)
		}
	}
	if got := com.RecordsAt("direct.example.com"); len(got) != 1 || got[0].Type != "A" || got[0].Content != "203.0.113.10" {
		t.Errorf("direct.example.com records = %+v", got)
	}
	if got := com.RecordsAt("forgotten.example.com"); len(got) != 1 || got[0].TunnelOf() != testTunnel {
		t.Errorf("a tunnel route outside the ingress must be kept: %+v", got)
	}
	st := com.Settings
	if st.ProxyReadTimeout.Value != "30" || st.AlwaysOnline.Value != "off" || st.DevelopmentMode.Value != "on" ||
		st.DevelopmentMode.TimeRemaining != 3600 || st.OriginErrorPagePassThru.Value != "on" {
		t.Errorf("settings = %+v", st)
	}
	if facts.ZoneFor("shop.example.net").Status != "pending" {
		t.Errorf("example.net status = %q", facts.ZoneFor("shop.example.net").Status)
	}
	if tun := facts.Tunnel; tun == nil || tun.Status != "healthy" || tun.ConfigSrc != "cloudflare" || tun.Deleted() || tun.ConnsActiveAt.IsZero() {
		t.Errorf("tunnel = %+v, err %v", facts.Tunnel, facts.TunnelErr)
	}
	if len(facts.Connectors) != 1 || len(facts.Connectors[0].Conns) != 2 || !facts.Connectors[0].Conns[1].IsPendingReconnect ||
		facts.Connectors[0].ConfigVersion != 14 {
		t.Errorf("connectors = %+v", facts.Connectors)
	}
	if rc := facts.RemoteConfig; rc == nil || rc.Version != 15 || len(rc.Rules) != 3 || rc.Rules[1].Hostname != "*.example.com" {
		t.Errorf("remote config = %+v, err %v", facts.RemoteConfig, facts.RemoteConfigErr)
	}
	if o, ok := facts.OtherTunnels[testOtherTunnel]; !ok || !o.Found || !o.Deleted {
		t.Errorf("other tunnel = %+v", facts.OtherTunnels)
	}
	if !facts.IncidentsRead || len(facts.Incidents) != 1 || facts.Incidents[0].Components[0] != "Frankfurt, Germany - (FRA)" {
		t.Errorf("incidents = %+v (%s)", facts.Incidents, facts.IncidentsErr)
	}
	// verify 1, zones 1 (a short page ends the listing), DNS 2, settings 2x4,
	// tunnel 1, connections 1, configuration 1, the CNAME's other tunnel 1.
	if want := 16; facts.Requests != want || f.totalAPICalls() != want {
		t.Errorf("requests = %d (fake saw %d), want %d", facts.Requests, f.totalAPICalls(), want)
	}
	validateServed(t, f)
}

func TestCollectReusesCachedFacts(t *testing.T) {
	f := newFakeAPI(t)
	cache := cfapi.NewCache()
	f.client(cache, zerolog.Nop()).Collect(context.Background(), testRequest())
	before := f.totalAPICalls()
	again := f.client(cache, zerolog.Nop()).Collect(context.Background(), testRequest())
	if again.Requests != 0 || f.totalAPICalls() != before {
		t.Errorf("second run sent %d requests (fake saw %d more), want 0", again.Requests, f.totalAPICalls()-before)
	}
	if again.Tunnel == nil || len(again.Zones) != 2 || again.Cached == 0 || !again.IncidentsRead {
		t.Errorf("cached facts lost: %+v", again)
	}
	if f.callCount("/api/v2/") != 1 {
		t.Errorf("status page read %d times, want 1", f.callCount("/api/v2/"))
	}
}
