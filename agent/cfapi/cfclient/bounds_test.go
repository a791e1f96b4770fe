package cfclient

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// TestEndlessPagesAreCapped: a server whose pages never end costs at most
// maxPages calls, and the listing says it is incomplete.
func TestEndlessPagesAreCapped(t *testing.T) {
	f := newFakeAPI(t)
	zones := fixtureResults(t, "zones.json")
	f.set("/zones", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []byte(fmt.Sprintf(`{"success":true,"errors":[],"messages":[],"result_info":{"page":%s,"per_page":1,"count":1},"result":[%s]}`,
			r.URL.Query().Get("page"), zones[0])))
	})
	facts := f.client(nil, zerolog.Nop()).Collect(context.Background(), testRequest())
	if !facts.ZonesTruncated || f.CallsExact("/zones") != maxPages {
		t.Errorf("truncated %v after %d calls, want true after %d", facts.ZonesTruncated, f.CallsExact("/zones"), maxPages)
	}
}

func TestHugeStatusPageIsRefused(t *testing.T) {
	f := newFakeAPI(t)
	f.set("/api/v2/incidents/unresolved.json", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, []byte(`{"incidents":[`+strings.Repeat(`{"name":"x"},`, 200000)+`{}]}`))
	})
	facts := f.client(nil, zerolog.Nop()).Collect(context.Background(), testRequest())
	if facts.IncidentsRead || !strings.Contains(facts.IncidentsErr, "larger than") {
		t.Errorf("huge status page: read %v, err %q", facts.IncidentsRead, facts.IncidentsErr)
	}
}

func TestRetryAfterForms(t *testing.T) {
	for v, want := range map[string]time.Duration{"7": 7 * time.Second, "0.5": 500 * time.Millisecond} {
		if d, ok := retryAfter(http.Header{"Retry-After": {v}}); !ok || d != want {
			t.Errorf("Retry-After %q = %v %v", v, d, ok)
		}
	}
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	if d, ok := retryAfter(http.Header{"Retry-After": {date}}); !ok || d < 80*time.Second || d > 91*time.Second {
		t.Errorf("Retry-After date = %v %v", d, ok)
	}
	for _, bad := range []string{"", "soon", "-3"} {
		if _, ok := retryAfter(http.Header{"Retry-After": {bad}}); ok {
			t.Errorf("Retry-After %q accepted", bad)
		}
	}
}

// FuzzAnswerParsers: whatever a server sends, the parsers of error bodies,
// edge pages and traces never panic.
func FuzzAnswerParsers(f *testing.F) {
	f.Add([]byte(`{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}`))
	f.Add([]byte(`{"cloudflare_error":true,"error_code":1033,"status":530}`))
	f.Add([]byte(brandedBadGateway))
	f.Add([]byte("fl=1\ncolo=FRA\n"))
	f.Add([]byte(`{"errors":["x",1,null,{"code":"1000"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		envelopeErrors(b)
		parseEdgeError(b)
		brandedPage(string(b))
		verdict(cfapi.Trace{}, cfapi.Page{Status: 502, JSONError: parseEdgeError(b)})
	})
}

func TestRevokedTokenIsVerifiedAgain(t *testing.T) {
	f := newFakeAPI(t)
	cache := cfapi.NewCache()
	f.client(cache, zerolog.Nop()).Collect(context.Background(), testRequest())
	f.json("/zones", 401, "error_401_1000.json") // revoked; the verification is still cached
	// Expire the zone listing so it is asked again.
	cache.Forget(fingerprint(testToken) + "|zones")
	f.client(cache, zerolog.Nop()).Collect(context.Background(), testRequest())
	f.json("/user/tokens/verify", 401, "error_401_1000.json")
	f.json("/accounts/"+testAccount+"/tokens/verify", 401, "error_401_1000.json")
	third := f.client(cache, zerolog.Nop()).Collect(context.Background(), testRequest())
	if third.TokenErr == nil || third.TokenErr.Kind != cfapi.KindAuth {
		t.Errorf("after a 401 the token was not verified again: %+v", third.TokenErr)
	}
}

func TestA429WithoutRetryAfterThenSuccessDoesNotBlockTheRun(t *testing.T) {
	f := newFakeAPI(t)
	f.set("/user/tokens/verify", sequence(
		func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 429, fixture(t, "error_429.json")) },
		func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, fixture(t, "verify_active.json")) },
	))
	cache := cfapi.NewCache()
	facts := f.client(cache, zerolog.Nop()).Collect(context.Background(), testRequest())
	if facts.TokenErr != nil || facts.Tunnel == nil || facts.ZonesErr != nil || !cache.BlockedUntil().IsZero() {
		t.Errorf("after a recovered 429: token %v, tunnel %v, zones %v, blocked until %v", facts.TokenErr, facts.TunnelErr, facts.ZonesErr, cache.BlockedUntil())
	}
}
