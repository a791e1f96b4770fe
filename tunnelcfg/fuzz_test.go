package tunnelcfg

import (
	"encoding/json"
	"net"
	"regexp"
	"strings"
	"testing"
)

// FuzzParse: any bytes give a Config and problems, never a panic; a file
// Parse accepts with no fatal problem validates without panicking and every
// problem names a known Kind.
func FuzzParse(f *testing.F) {
	f.Add([]byte("ingress:\n  - hostname: a.example.com\n    service: http://a:1\n  - service: http_status:404\n"))
	f.Add([]byte("originRequest:\n  connectTimeout: 5\nmetrics: 5\ningress: {}\n"))
	f.Add([]byte("ingress:\n  - hostname: \"*.x.com:1\"\n    path: \"([\"\n    service: socks-proxy\n    originRequest:\n      ipRules: [{prefix: x, ports: [0]}]\n"))
	f.Add([]byte("a: &x {b: *x}\n"))
	f.Add([]byte("ingress:\n\t- bad\n"))
	f.Add(generateConfig(20))
	known := map[Kind]bool{}
	for _, k := range Kinds() {
		known[k] = true
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		c, ps := Parse(data, "fuzz.yml")
		if c == nil {
			t.Fatal("nil config")
		}
		ps = append(ps, Validate(c)...)
		for _, p := range ps {
			if !known[p.Kind] {
				t.Fatalf("unknown kind %q", p.Kind)
			}
			if p.Message == "" {
				t.Fatalf("empty message for %s", p.Kind)
			}
		}
		if len(c.Rules) > 0 {
			_ = c.Match("a.example.com:443", "/")
			_ = c.Effective(len(c.Rules) - 1)
		}
		if _, err := json.Marshal(c); err != nil {
			t.Fatalf("config does not marshal: %v", err)
		}
	})
}

// FuzzDecodeToken: never panics, and an error never quotes the token.
func FuzzDecodeToken(f *testing.F) {
	f.Add(goodToken(f))
	f.Add("eyJhIjoiYWJjIn0=")
	f.Add("")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := DecodeToken(s)
		if err != nil {
			if len(s) >= 12 && strings.Contains(err.Error(), s) {
				t.Fatalf("error quotes the token: %v", err)
			}
			return
		}
		if tok.TunnelID == "" || tok.SecretLen == 0 {
			t.Fatalf("accepted an incomplete token: %+v", tok)
		}
	})
}

// FuzzMatch checks Match against a direct reading of cloudflared's rule:
// the first rule whose host and path match, else the last.
func FuzzMatch(f *testing.F) {
	f.Add("*.example.com", "^/api", "a.example.com", "/api")
	f.Add("Example.com", "", "example.com:8443", "/")
	f.Add("môô.cloudflare.com", "", "xn--m-xgaa.cloudflare.com", "")
	f.Add("*", "x", "", "/x")
	f.Fuzz(func(t *testing.T, ruleHost, rulePath, host, path string) {
		c := &Config{Rules: []Rule{{Hostname: ruleHost, Path: rulePath, Service: "http://a:1"}, {Service: "http_status:404"}}}
		// Validate checks paths with syntax.Parse; it must agree with regexp.Compile.
		_, compileErr := regexp.Compile(rulePath)
		if hasKind(Validate(c), KindInvalidPathRegex) != (compileErr != nil && rulePath != "") {
			t.Fatalf("path %q: Validate and regexp.Compile (%v) disagree", rulePath, compileErr)
		}
		got := c.Match(host, path)
		if got != 0 && got != 1 {
			t.Fatalf("Match = %d", got)
		}
		cr := compileRules(c.Rules)[0]
		h := host
		if hh, _, err := net.SplitHostPort(host); err == nil {
			h = hh
		}
		want := 1
		if cr.matches(h, path) {
			want = 0
		}
		if got != want {
			t.Fatalf("Match(%q,%q) on rule %q %q = %d, want %d", host, path, ruleHost, rulePath, got, want)
		}
		if ruleHost != "" && ruleHost != "*" && !strings.HasPrefix(ruleHost, "*.") && cr.punycode == "" && rulePath == "" && h == ruleHost && got != 0 {
			t.Fatalf("an exact host must match")
		}
	})
}
