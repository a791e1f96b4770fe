package cfclient

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfapitest"
)

const (
	testAccount     = cfapitest.Account
	testTunnel      = cfapitest.Tunnel
	testOtherTunnel = cfapitest.OtherTunnel
	testZoneCom     = cfapitest.ZoneCom
	testZoneNet     = cfapitest.ZoneNet
	testToken       = cfapitest.Token
)

var (
	writeJSON = cfapitest.WriteJSON
	sequence  = cfapitest.Sequence
)

func fixture(t testing.TB, name string) []byte { return cfapitest.Fixture(t, name) }

// fixtureResults splits a listing fixture into its result items, to serve
// them as pages of the API's real shape.
func fixtureResults(t testing.TB, name string) []json.RawMessage {
	t.Helper()
	var all struct {
		Result []json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(fixture(t, name), &all); err != nil {
		t.Fatal(err)
	}
	return all.Result
}

// fakeAPI wraps the shared fake with the shorthand these tests use.
type fakeAPI struct {
	*cfapitest.Fake
	srvURL string
}

func newFakeAPI(t testing.TB) *fakeAPI {
	f := cfapitest.New(t)
	return &fakeAPI{Fake: f, srvURL: f.Server.URL}
}

func (f *fakeAPI) json(path string, status int, name string, header ...string) {
	f.JSON(path, status, name, header...)
}
func (f *fakeAPI) set(path string, h func(w http.ResponseWriter, r *http.Request)) { f.Set(path, h) }
func (f *fakeAPI) callCount(prefix string) int                                     { return f.Calls(prefix) }
func (f *fakeAPI) totalAPICalls() int                                              { return f.APICalls() }

// client returns a client for the fake with fast retries.
func (f *fakeAPI) client(cache *cfapi.Cache, log zerolog.Logger) *Client {
	return New(Config{
		Token: testToken, BaseURL: f.BaseURL(), StatusPageURL: f.StatusPageURL(),
		Logger: log, CallTimeout: 3 * time.Second, RetryBackoff: 10 * time.Millisecond,
	}, cache)
}

func testRequest() Request {
	return Request{AccountID: testAccount, TunnelID: testTunnel, Hostnames: cfapitest.Hostnames(), StatusPage: true}
}
