package cfclient

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

func TestPaginationStopsOnlyOnEmptyPageWhenPagesAreFull(t *testing.T) {
	f := newFakeAPI(t)
	// Two full pages of one zone each (per_page 1), then an empty page,
	// cut from the zones fixture so every page is the API's real shape.
	zones := fixtureResults(t, "zones.json")
	f.set("/zones", func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		result, count := "[]", 0
		if page >= 1 && page <= len(zones) {
			result, count = "["+string(zones[page-1])+"]", 1
		}
		writeJSON(w, 200, []byte(fmt.Sprintf(`{"success":true,"errors":[],"messages":[],"result_info":{"page":%d,"per_page":1,"count":%d,"total_count":2},"result":%s}`,
			page, count, result)))
	})
	facts := f.client(nil, zerolog.Nop()).Collect(context.Background(), testRequest())
	if len(facts.Zones) != 2 || facts.ZonesErr != nil {
		t.Fatalf("zones = %+v, err %v", facts.Zones, facts.ZonesErr)
	}
	if n := f.CallsExact("/zones"); n != 3 {
		t.Errorf("zone listing took %d calls, want 3 (two full pages and the empty one)", n)
	}
	validateServed(t, f)
}

func TestRateLimitThenSuccessHonoursRetryAfter(t *testing.T) {
	f := newFakeAPI(t)
	f.set("/user/tokens/verify", sequence(
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, fixture(t, "error_429.json"))
		},
		func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, fixture(t, "verify_active.json")) },
	))
	start := time.Now()
	facts := f.client(nil, zerolog.Nop()).Collect(context.Background(), testRequest())
	if facts.TokenErr != nil || facts.Token == nil {
		t.Fatalf("token after a 429 and a retry: %+v / %v", facts.Token, facts.TokenErr)
	}
	if got := f.CallsExact("/user/tokens/verify"); got != 2 {
		t.Errorf("verify called %d times, want 2", got)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Errorf("retried after %v, before the server's Retry-After of 1 s", waited)
	}
}

func TestRetryAfterBeyondCapFailsAndBlocksLaterRuns(t *testing.T) {
	f := newFakeAPI(t)
	f.json("/user/tokens/verify", 429, "error_429.json", "Retry-After", "3600")
	cache := cfapi.NewCache()
	facts := f.client(cache, zerolog.Nop()).Collect(context.Background(), testRequest())
	e := facts.TokenErr
	if e == nil || e.Kind != cfapi.KindRateLimited || e.Status != 429 || e.Attempts != 1 {
		t.Fatalf("token error = %+v, want one 429 attempt classified rate_limited", e)
	}
	if !strings.HasPrefix(facts.Skipped[cfapi.EndpointZones], cfapi.SkipAPIDown) {
		t.Errorf("zones skipped = %q", facts.Skipped[cfapi.EndpointZones])
	}
	if cache.BlockedUntil().IsZero() {
		t.Fatal("a 429 did not block the API")
	}
	before := f.totalAPICalls()
	again := f.client(cache, zerolog.Nop()).Collect(context.Background(), testRequest())
	if f.totalAPICalls() != before || again.TokenErr == nil || again.TokenErr.Kind != cfapi.KindRateLimited {
		t.Errorf("while blocked: %d new calls, token error %+v", f.totalAPICalls()-before, again.TokenErr)
	}
}

func TestForbiddenCodesNameTheMissingPermission(t *testing.T) {
	for _, tc := range []struct{ fixture, route, endpoint, perm string }{
		{"error_403_10000.json", "/zones/" + testZoneCom + "/dns_records", cfapi.EndpointDNSRecords, cfapi.PermDNSRead},
		{"error_403_9109.json", "/accounts/" + testAccount + "/cfd_tunnel/" + testTunnel, cfapi.EndpointTunnel, cfapi.PermTunnelRead},
		{"error_403_10000.json", "/zones/" + testZoneCom + "/settings/" + cfapi.SettingProxyReadTimeout, cfapi.EndpointZoneSetting, cfapi.PermZoneSettingsRead},
		{"error_403_9109.json", "/zones", cfapi.EndpointZones, cfapi.PermZoneRead},
	} {
		t.Run(tc.fixture+" "+tc.endpoint, func(t *testing.T) {
			f := newFakeAPI(t)
			f.json(tc.route, 403, tc.fixture)
			facts := f.client(nil, zerolog.Nop()).Collect(context.Background(), testRequest())
			var got *cfapi.CallError
			switch tc.endpoint {
			case cfapi.EndpointDNSRecords:
				got = facts.ZoneFor("app.example.com").RecordsErr
			case cfapi.EndpointTunnel:
				got = facts.TunnelErr
			case cfapi.EndpointZoneSetting:
				got = facts.ZoneFor("app.example.com").Settings.ProxyReadTimeout.Err
			case cfapi.EndpointZones:
				got = facts.ZonesErr
			}
			if got == nil || got.Kind != cfapi.KindPermission || got.Permission != tc.perm || got.Status != 403 || len(got.Codes) != 1 {
				t.Fatalf("error = %+v, want a 403 permission error naming %q", got, tc.perm)
			}
			if got.Attempts != 1 {
				t.Errorf("a 403 was retried: %d attempts", got.Attempts)
			}
			validateServed(t, f)
		})
	}
}

func TestRefusedTokensStopTheRun(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		status  int
		code    int
	}{{"error_401_1000.json", 401, 1000}, {"error_400_6003.json", 400, 6003}} {
		t.Run(tc.fixture, func(t *testing.T) {
			f := newFakeAPI(t)
			f.json("/user/tokens/verify", tc.status, tc.fixture)
			f.json("/accounts/"+testAccount+"/tokens/verify", tc.status, tc.fixture)
			facts := f.client(nil, zerolog.Nop()).Collect(context.Background(), testRequest())
			e := facts.TokenErr
			if e == nil || e.Kind != cfapi.KindAuth || e.Codes[0] != tc.code {
				t.Fatalf("token error = %+v", e)
			}
			if !strings.Contains(e.Message, "account-owned") {
				t.Errorf("the account-owned verify was not tried: %q", e.Message)
			}
			if f.totalAPICalls() != 2 || facts.Skipped[cfapi.EndpointDNSRecords] != cfapi.SkipTokenRefused {
				t.Errorf("after a refused token: %d calls, skipped %q", f.totalAPICalls(), facts.Skipped[cfapi.EndpointDNSRecords])
			}
			validateServed(t, f)
		})
	}
}

func TestAccountOwnedTokenIsVerifiedAtTheAccount(t *testing.T) {
	f := newFakeAPI(t)
	f.json("/user/tokens/verify", 401, "error_401_1000.json")
	f.json("/accounts/"+testAccount+"/tokens/verify", 200, "verify_active.json")
	facts := f.client(nil, zerolog.Nop()).Collect(context.Background(), testRequest())
	if facts.Token == nil || facts.Token.Owner != "account" || facts.TokenErr != nil || facts.Tunnel == nil {
		t.Fatalf("token = %+v, err %+v", facts.Token, facts.TokenErr)
	}
	validateServed(t, f)
}

func TestServerErrorsAreRetriedOnce(t *testing.T) {
	f := newFakeAPI(t)
	html := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		_, _ = w.Write([]byte("<html><body>502 Bad Gateway</body></html>"))
	}
	f.set("/accounts/"+testAccount+"/cfd_tunnel/"+testTunnel, html)
	f.set("/zones", sequence(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 503, []byte(`{"success":false,"errors":[{"code":10001,"message":"service unavailable"}],"messages":[],"result":null}`))
	},
		func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, fixture(t, "zones.json")) }))
	facts := f.client(nil, zerolog.Nop()).Collect(context.Background(), testRequest())
	if e := facts.TunnelErr; e == nil || e.Kind != cfapi.KindServer || e.Status != 502 || e.Attempts != 2 {
		t.Errorf("tunnel error = %+v, want a 502 after 2 attempts", e)
	}
	if facts.ZonesErr != nil || len(facts.Zones) != 2 {
		t.Errorf("zones after a 503 then 200: %+v %v", facts.Zones, facts.ZonesErr)
	}
	if facts.ConnectorsErr != nil {
		t.Errorf("connectors must still be read: %v", facts.ConnectorsErr)
	}
}

func TestMalformedAndOversizedAnswersBecomeData(t *testing.T) {
	f := newFakeAPI(t)
	f.set("/zones/"+testZoneCom+"/dns_records", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []byte(`{"success":true,"result":[{"id":`))
	})
	f.set("/accounts/"+testAccount+"/cfd_tunnel/"+testTunnel+"/connections", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":[` + strings.Repeat(`{"id":"x"},`, 200000) + `{}]}`))
	})
	c := New(Config{Token: testToken, BaseURL: f.BaseURL(), StatusPageURL: f.StatusPageURL(), MaxBody: 1 << 20, RetryBackoff: time.Millisecond}, nil)
	facts := c.Collect(context.Background(), testRequest())
	if e := facts.ZoneFor("app.example.com").RecordsErr; e == nil || e.Kind != cfapi.KindMalformed || e.Status != 200 {
		t.Errorf("records error = %+v", e)
	}
	if e := facts.ConnectorsErr; e == nil || e.Kind != cfapi.KindMalformed || !strings.Contains(e.Message, "size limit") {
		t.Errorf("connectors error = %+v", e)
	}
}

func TestSlowAPITimesOutWithoutHanging(t *testing.T) {
	f := newFakeAPI(t)
	hang := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	f.set("/zones", hang)
	c := New(Config{Token: testToken, BaseURL: f.BaseURL(), StatusPageURL: f.StatusPageURL(),
		CallTimeout: 300 * time.Millisecond, RetryBackoff: time.Millisecond}, nil)
	done := make(chan *cfapi.Facts, 1)
	go func() { done <- c.Collect(context.Background(), testRequest()) }()
	select {
	case facts := <-done:
		if e := facts.ZonesErr; e == nil || e.Kind != cfapi.KindTimeout {
			t.Errorf("zones error = %+v, want timeout", e)
		}
		if facts.Tunnel == nil {
			t.Errorf("the tunnel must still be read: %v", facts.TunnelErr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Collect hung on a server that never answers")
	}
}

func TestUnreachableAPIIsOneFailureNotMany(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c := New(Config{Token: testToken, BaseURL: url + "/client/v4", StatusPageURL: url, RetryBackoff: time.Millisecond}, nil)
	facts := c.Collect(context.Background(), testRequest())
	if e := facts.TokenErr; e == nil || e.Kind != cfapi.KindNetwork || e.Attempts != 2 {
		t.Fatalf("token error = %+v", e)
	}
	if facts.Requests != 2 || !strings.HasPrefix(facts.Skipped[cfapi.EndpointTunnel], cfapi.SkipAPIDown) {
		t.Errorf("requests %d, tunnel skipped %q", facts.Requests, facts.Skipped[cfapi.EndpointTunnel])
	}
	if facts.IncidentsErr == "" {
		t.Error("status page error not recorded")
	}
}

func TestDeletedOtherTunnelAndMissingTunnel(t *testing.T) {
	f := newFakeAPI(t)
	f.json("/accounts/"+testAccount+"/cfd_tunnel/"+testOtherTunnel, 400, "error_400_7003.json")
	f.json("/accounts/"+testAccount+"/cfd_tunnel/"+testTunnel, 404, "error_400_7003.json")
	facts := f.client(nil, zerolog.Nop()).Collect(context.Background(), testRequest())
	if o := facts.OtherTunnels[testOtherTunnel]; o.Found || o.Err != nil {
		t.Errorf("a 7003 for the other tunnel means not found: %+v", o)
	}
	if e := facts.TunnelErr; e == nil || e.Kind != cfapi.KindNotFound {
		t.Errorf("tunnel error = %+v", e)
	}
	if facts.Skipped[cfapi.EndpointConnections] == "" || f.callCount("/accounts/"+testAccount+"/cfd_tunnel/"+testTunnel+"/") != 0 {
		t.Error("connections/configuration of a missing tunnel were requested")
	}
	validateServed(t, f)
}

func TestIDsAreValidatedBeforeAnyCall(t *testing.T) {
	f := newFakeAPI(t)
	req := testRequest()
	req.AccountID, req.TunnelID = "../../user", "x/../../zones"
	facts := f.client(nil, zerolog.Nop()).Collect(context.Background(), req)
	if facts.Tunnel != nil || !strings.Contains(facts.Skipped[cfapi.EndpointTunnel], "not 32 hex digits") {
		t.Errorf("skipped = %q", facts.Skipped[cfapi.EndpointTunnel])
	}
	if f.callCount("/accounts/") != 0 {
		t.Error("a malformed id reached a URL path")
	}
}

func TestNoEnvironmentIsRead(t *testing.T) {
	decoy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request sent to CLOUDFLARE_BASE_URL: %s", r.URL)
	}))
	defer decoy.Close()
	t.Setenv("CLOUDFLARE_BASE_URL", decoy.URL)
	t.Setenv("CLOUDFLARE_API_TOKEN", "env-token-must-not-be-used")
	t.Setenv("CLOUDFLARE_CUSTOM_HEADERS", "X-Leak: yes")
	f := newFakeAPI(t)
	var leaked bool
	f.set("/user/tokens/verify", func(w http.ResponseWriter, r *http.Request) {
		leaked = r.Header.Get("X-Leak") != "" || strings.Contains(r.Header.Get("Authorization"), "env-token")
		writeJSON(w, 200, fixture(t, "verify_active.json"))
	})
	facts := f.client(nil, zerolog.Nop()).Collect(context.Background(), testRequest())
	if facts.TokenErr != nil || leaked {
		t.Errorf("token err %v, env headers used: %v", facts.TokenErr, leaked)
	}
	// Without a token nothing is called at all.
	none := New(Config{BaseURL: f.BaseURL(), StatusPageURL: f.StatusPageURL()}, nil).Collect(context.Background(), testRequest())
	if none.Requests != 0 || none.Skipped[cfapi.EndpointZones] != cfapi.SkipNoToken {
		t.Errorf("without a token: %d requests, skipped %q", none.Requests, none.Skipped[cfapi.EndpointZones])
	}
}

func TestLocalTunnelSkipsRemoteConfigurationButHookReadsIt(t *testing.T) {
	f := newFakeAPI(t)
	f.set("/accounts/"+testAccount+"/cfd_tunnel/"+testTunnel, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []byte(strings.Replace(string(fixture(t, "tunnel_healthy.json")), `"config_src":"cloudflare"`, `"config_src":"local"`, 1)))
	})
	cache := cfapi.NewCache()
	c := f.client(cache, zerolog.Nop())
	cfg, err := c.RemoteConfig(context.Background(), testAccount, testTunnel)
	if err != nil || cfg == nil || cfg.Version != 15 {
		t.Fatalf("hook: %+v %v", cfg, err)
	}
	facts := f.client(cache, zerolog.Nop()).Collect(context.Background(), testRequest())
	if facts.RemoteConfig != nil || facts.Skipped[cfapi.EndpointConfiguration] != cfapi.SkipLocalConfig {
		t.Errorf("remote config of a local tunnel: %+v, skipped %q", facts.RemoteConfig, facts.Skipped[cfapi.EndpointConfiguration])
	}
	if n := f.callCount("/accounts/" + testAccount + "/cfd_tunnel/" + testTunnel + "/configurations"); n != 1 {
		t.Errorf("configuration read %d times, want 1", n)
	}
}
