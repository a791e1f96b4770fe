package tunnelcfg

import (
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

// Matching cases derived from cloudflared's Test_rule_matches and
// TestFindMatchingRule (re-written), plus the case and port behaviour the
// fact sheet verified against a build.
func TestMatch(t *testing.T) {
	c, ps := Parse([]byte(`
ingress:
  - hostname: tunnel-a.example.com
    service: http://a:80
  - hostname: tunnel-b.example.com
    path: /health
    service: http://b:80
  - hostname: "*.wild.example.com"
    service: http://w:80
  - hostname: môô.cloudflare.com
    service: http://m:80
  - hostname: "*foo.example.com"
    service: http://lit:80
  - hostname: Upper.Example.com
    service: http://u:80
  - hostname: "*.api.abc.cloud"
    service: http://api:80
  - hostname: static.example.com
    path: "/static/.*\\.html"
    service: http://s:80
  - path: ^/only-path$
    service: http://p:80
  - service: http_status:404
`), "m.yml")
	if len(ps) != 0 {
		t.Fatalf("problems: %+v", ps)
	}
	tests := []struct {
		host, path string
		want       int
	}{
		{"tunnel-a.example.com", "/", 0},
		{"tunnel-a.example.com", "/pages/about", 0},
		{"tunnel-a.example.com:443", "/pages/about", 0}, // port stripped
		{"tunnel-b.example.com", "/health", 1},
		{"tunnel-b.example.com", "/x/health/y", 1}, // unanchored regex
		{"tunnel-b.example.com", "/index.html", 9}, // falls to the catch-all
		{"tunnel-c.example.com", "/", 9},
		{"x.wild.example.com", "/", 2},
		{"a.b.wild.example.com", "/", 2}, // any depth
		{"wild.example.com", "/", 9},     // not the apex
		{"môô.cloudflare.com", "/", 3},
		{"xn--m-xgaa.cloudflare.com", "/", 3}, // punycode form
		{"www.foo.example.com", "/", 9},       // *foo is not a wildcard
		{"*foo.example.com", "/", 4},          // ...only the literal
		{"upper.example.com", "/", 5},         // the rule's punycode form is lowercase
		{"Upper.Example.com", "/", 5},
		{"UPPER.example.com", "/", 9}, // request hosts are not lowercased
		{"testing-api.abc.cloud", "/", 9},
		{"x.api.abc.cloud", "/", 6},
		{"static.example.com", "/static/index.html", 7},
		{"static.example.com", "/static/index.htm", 9},
		{"anything.example.net", "/only-path", 8},
		{"anything.example.net", "/only-path/x", 9},
		{"[::1]:8080", "/", 9},
	}
	for _, tt := range tests {
		if got := c.Match(tt.host, tt.path); got != tt.want {
			t.Errorf("Match(%q, %q) = %d, want %d", tt.host, tt.path, got, tt.want)
		}
	}
}

func TestMatchURL(t *testing.T) {
	c, _ := Parse([]byte("ingress:\n  - hostname: a.example.com\n    path: ^/api\n    service: http://a:1\n  - service: http_status:404\n"), "x.yml")
	tests := []struct {
		url     string
		want    int
		wantErr string
	}{
		{"https://a.example.com/api/v1?x=1", 0, ""},
		{"https://a.example.com:8443/api", 0, ""},
		{"https://a.example.com/", 1, ""},
		{"a.example.com/api", -1, "a.example.com/api doesn't have a hostname, consider adding a scheme"},
		{"http://a b/", -1, "http://a b/ is not a valid URL"},
	}
	for _, tt := range tests {
		got, err := c.MatchURL(tt.url)
		if got != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
			t.Errorf("MatchURL(%q) = %d, %v; want %d, %q", tt.url, got, err, tt.want, tt.wantErr)
		}
	}
	empty := &Config{}
	if _, err := empty.MatchURL("https://a.example.com/"); err == nil {
		t.Error("no rules should be an error")
	}
	if empty.Match("a", "/") != -1 {
		t.Error("no rules: Match should be -1")
	}
}

// A Config built by hand (as tests in other packages do) matches too.
func TestMatchHandBuiltConfig(t *testing.T) {
	c := &Config{Rules: []Rule{{Hostname: "a.example.com", Path: "("}, {Hostname: "a.example.com"}, {}}}
	if got := c.Match("a.example.com", "/"); got != 1 {
		t.Errorf("an invalid regex never matches: got %d", got)
	}
}

func TestMatchHost(t *testing.T) {
	c, _ := Parse([]byte(`
ingress:
  - hostname: "*.Example.com"
    service: http://wild:80
  - hostname: App.example.com
    service: http://app:80
  - hostname: api.example.com
    path: ^/v1/
    service: http://api:80
  - hostname: "*.example.com"
    service: http://w:80
  - hostname: "*"
    path: ^/health$
    service: http://h:80
  - service: http_status:404
`), "h.yml")
	tests := []struct {
		host string
		want int
	}{
		{"x.Example.com", 0},    // exact case
		{"App.example.com", 1},  // as written
		{"app.example.com", 1},  // the punycode form of a plain name is lowercase
		{"api.example.com", 2},  // a rule with a path still takes some requests
		{"b.example.com", 3},    // the upper-case wildcard has no lowercase form
		{"example.com", -1},     // a wildcard never matches the apex; "*" and the catch-all name no host
		{"APP.EXAMPLE.COM", -1}, // request hosts are not lowercased
	}
	for _, tt := range tests {
		if got := c.MatchHost(tt.host); got != tt.want {
			t.Errorf("MatchHost(%q) = %d, want %d", tt.host, got, tt.want)
		}
	}
	hand := &Config{Rules: []Rule{{Hostname: "*.Example.com"}, {Service: "http_status:404"}}}
	if got := hand.MatchHost("a.example.com"); got != -1 {
		t.Errorf("hand-built config: %d", got)
	}
}

// FuzzPunycodeShortcut: skipping IDNA for plain names changes nothing.
func FuzzPunycodeShortcut(f *testing.F) {
	for _, s := range []string{"app.example.com", "a-b.c", "-a.com", "a-.com", "ab--cd.com", "xn--m-xgaa.com", "a.b.", ".a", "a..b", "1.2.3.4", strings.Repeat("a", 70) + ".com", "a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		if !isPlainLDH(host) {
			return
		}
		if p, err := idna.Lookup.ToASCII(host); err == nil && p != host {
			t.Fatalf("idna maps plain %q to %q", host, p)
		}
	})
}
