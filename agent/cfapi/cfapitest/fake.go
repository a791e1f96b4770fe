// Package cfapitest serves a local stand-in for the Cloudflare API for
// tests: the real JSON shapes (envelope, pagination with an empty page after
// the last, error codes) from the fixtures in testdata/api, which cfclient's
// tests validate against Cloudflare's official OpenAPI schema.
package cfapitest

import (
	"embed"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

//go:embed testdata/api/*.json
var fixtures embed.FS

// Ids used by the fixtures.
const (
	Account     = "023e105f4ecef8ad9ca31a8372d0c353"
	Tunnel      = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415"
	OtherTunnel = "c1744f8b-faa1-48a4-9e5c-02ac921467fa"
	ZoneCom     = "5d4b4a6c1f9e8d7c6b5a4f3e2d1c0b01"
	ZoneNet     = "5d4b4a6c1f9e8d7c6b5a4f3e2d1c0b02"
	// Token looks like a real token, so a leak is found by searching output.
	Token = "Yq3vT8kLm2NpR5sW9xZ1aB4cD7eF0gH6jK8lM3nP"
)

// Hostnames are the ingress hostnames the fixtures are written for.
func Hostnames() []string {
	return []string{"app.example.com", "api.example.com", "old.example.com", "direct.example.com",
		"missing.example.com", "*.example.com", "shop.example.net"}
}

// Served is one answer of the fake, kept for schema validation.
type Served struct {
	Path, Query string
	Status      int
	Header      http.Header
	Body        []byte
}

// Fake is the stand-in API. Routes are keyed by path below /client/v4.
type Fake struct {
	t      testing.TB
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	calls  []string
	served []Served
	Server *httptest.Server
}

// Fixture returns a fixture file's bytes.
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fixtures.ReadFile("testdata/api/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// New serves the healthy-path fixtures; tests override routes. The server
// is closed when the test ends.
func New(t testing.TB) *Fake {
	f := &Fake{t: t, routes: map[string]http.HandlerFunc{}}
	f.JSON("/user/tokens/verify", 200, "verify_active.json")
	f.Paged("/zones", "zones.json")
	f.Paged("/zones/"+ZoneCom+"/dns_records", "dns_example.com.json")
	f.Paged("/zones/"+ZoneNet+"/dns_records", "dns_example.net.json")
	for _, z := range []string{ZoneCom, ZoneNet} {
		for _, s := range []string{"proxy_read_timeout", "always_online", "development_mode", "origin_error_page_pass_thru"} {
			f.JSON("/zones/"+z+"/settings/"+s, 200, "setting_"+s+".json")
		}
	}
	tun := "/accounts/" + Account + "/cfd_tunnel/"
	f.JSON(tun+Tunnel, 200, "tunnel_healthy.json")
	f.JSON(tun+Tunnel+"/connections", 200, "connections.json")
	f.JSON(tun+Tunnel+"/configurations", 200, "configuration.json")
	f.JSON(tun+OtherTunnel, 200, "tunnel_other_deleted.json")
	status := Fixture(t, "statuspage_unresolved.json")
	f.Set("/api/v2/incidents/unresolved.json", func(w http.ResponseWriter, r *http.Request) { WriteJSON(w, 200, status) })
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Server.Close)
	return f
}

// BaseURL is the API base URL to give the client.
func (f *Fake) BaseURL() string { return f.Server.URL + "/client/v4" }

// StatusPageURL is the status page base URL to give the client.
func (f *Fake) StatusPageURL() string { return f.Server.URL }

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/client/v4")
	f.mu.Lock()
	f.calls = append(f.calls, r.Method+" "+path)
	h := f.routes[path]
	f.mu.Unlock()
	rec := httptest.NewRecorder()
	switch {
	case r.Method != http.MethodGet:
		rec.WriteHeader(http.StatusMethodNotAllowed)
	case strings.HasPrefix(r.URL.Path, "/client/v4/") && r.Header.Get("Authorization") != "Bearer "+Token:
		WriteJSON(rec, 400, Fixture(f.t, "error_400_6003.json"))
	case h == nil:
		WriteJSON(rec, 404, []byte(`{"success":false,"errors":[{"code":7003,"message":"No route for the URI"}],"messages":[],"result":null}`))
	default:
		h(rec, r)
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
	f.mu.Lock()
	f.served = append(f.served, Served{Path: path, Query: r.URL.RawQuery, Status: rec.Code, Header: rec.Header().Clone(), Body: rec.Body.Bytes()})
	f.mu.Unlock()
}

// WriteJSON writes a JSON answer.
func WriteJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// JSON serves a fixture at path, with header name/value pairs.
func (f *Fake) JSON(path string, status int, name string, header ...string) {
	body := Fixture(f.t, name)
	f.Set(path, func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		WriteJSON(w, status, body)
	})
}

// Paged serves the fixtures as pages 1..n and an empty page after them.
func (f *Fake) Paged(path string, pages ...string) {
	bodies := make([][]byte, len(pages))
	for i, p := range pages {
		bodies[i] = Fixture(f.t, p)
	}
	f.Set(path, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page < 1 {
			page = 1
		}
		if page <= len(bodies) {
			WriteJSON(w, 200, bodies[page-1])
			return
		}
		perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		WriteJSON(w, 200, []byte(fmt.Sprintf(`{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":%d,"per_page":%d,"count":0,"total_count":0}}`, page, perPage)))
	})
}

// Set replaces the handler of a path.
func (f *Fake) Set(path string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[path] = h
}

// Sequence answers with each handler in turn, the last one repeating.
func Sequence(hs ...http.HandlerFunc) http.HandlerFunc {
	var mu sync.Mutex
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h := hs[min(n, len(hs)-1)]
		n++
		mu.Unlock()
		h(w, r)
	}
}

// Calls counts requests whose path starts with prefix.
func (f *Fake) Calls(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, "GET "+prefix) {
			n++
		}
	}
	return n
}

// CallsExact counts requests to exactly path.
func (f *Fake) CallsExact(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == "GET "+path {
			n++
		}
	}
	return n
}

// APICalls counts the API requests (the status page excluded).
func (f *Fake) APICalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if !strings.HasPrefix(c, "GET /api/v2/") {
			n++
		}
	}
	return n
}

// Served returns every answer given so far.
func (f *Fake) Served() []Served {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Served(nil), f.served...)
}
