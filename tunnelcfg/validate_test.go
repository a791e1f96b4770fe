package tunnelcfg

import (
	"fmt"
	"strings"
	"testing"
)

// Cases derived from cloudflared 2026.8.2's behaviour (ingress/ingress.go
// validateIngress and validateHostname; its TestParseIngress table, cases
// re-written here): valid is cloudflared's verdict, kind and message the
// problem it stops at, with its own text.
func TestValidateCloudflaredVerdict(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		valid   bool
		kind    Kind   // the fatal problem expected ("" when valid)
		message string // substring of its message
		rule    int
		line    int
	}{
		{name: "empty file", yaml: "", kind: KindNoRules, message: "The config file doesn't contain any ingress rules", rule: -1},
		{name: "ingress key but no rules", yaml: "ingress: []\n", kind: KindNoRules, message: "doesn't contain any ingress rules", rule: -1, line: 1},
		{name: "two rules", valid: true, yaml: `
ingress:
 - hostname: tunnel1.example.com
   service: https://localhost:8000
 - hostname: "*"
   service: https://localhost:8001
`},
		{name: "extra top-level key is a flag, not an error", valid: true, yaml: `
ingress:
 - hostname: "*"
   service: https://localhost:8000
extraKey: extraValue
`},
		{name: "wss service", valid: true, yaml: "ingress:\n - service: wss://localhost:8000\n"},
		{name: "hostname omitted", valid: true, yaml: "ingress:\n - service: https://localhost:8000\n"},
		{name: "unicode hostname", valid: true, yaml: `
ingress:
 - hostname: môô.cloudflare.com
   service: https://localhost:8000
 - service: https://localhost:8001
`},
		{name: "invalid unicode hostname as the only rule", yaml: "ingress:\n - hostname: \"\ufffd.cloudflare.com\"\n   service: https://localhost:8000\n",
			kind: KindLastRuleNotCatchAll, rule: 0},
		{name: "space in service host", yaml: "ingress:\n - hostname: \"*\"\n   service: https://local host:8000\n",
			kind: KindServiceInvalid, message: `invalid character " " in host name`, rule: 0, line: 3},
		{name: "last rule not catch-all", yaml: "ingress:\n - hostname: example.com\n   service: https://localhost:8000\n",
			kind: KindLastRuleNotCatchAll, message: "The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)", rule: 0, line: 2},
		{name: "catch-all first", yaml: `
ingress:
 - service: https://localhost:8000
 - hostname: example.com
   service: https://localhost:8000
`, kind: KindCatchAllNotLast, message: "Rule #1 is matching the hostname '', but this will match every hostname, meaning the rules which follow it will never be triggered.", rule: 0, line: 2},
		{name: "catch-all star first", yaml: `
ingress:
 - hostname: "*"
   service: https://localhost:8000
 - hostname: example.com
   service: https://localhost:8000
 - service: http_status:404
`, kind: KindCatchAllNotLast, message: "Rule #1 is matching the hostname '*'", rule: 0, line: 2},
		{name: "catch-all with a path", yaml: "ingress:\n - service: https://localhost:8001\n   path: /subpath1/(.*)/subpath2\n",
			kind: KindLastRuleNotCatchAll, rule: 0},
		{name: "star with a path is not a catch-all", valid: true, yaml: `
ingress:
 - hostname: "*"
   path: ^/api
   service: http://api:80
 - service: http_status:404
`},
		{name: "invalid regex", yaml: `
ingress:
 - hostname: example.com
   service: https://localhost:8000
   path: "*/subpath2"
 - service: https://localhost:8001
`, kind: KindInvalidPathRegex, message: "Rule #1 has an invalid regex: error parsing regexp: missing argument to repetition operator: `*`", rule: 0, line: 4},
		{name: "service without scheme", yaml: "ingress:\n - service: localhost:8000\n",
			kind: KindServiceInvalid, message: "localhost:8000 is an invalid address, please make sure it has a scheme and a hostname", rule: 0, line: 2},
		{name: "service without host", yaml: "ingress:\n - service: http://:8080\n",
			kind: KindServiceInvalid, message: "http://:8080 is an invalid address, please make sure it has a scheme and a hostname"},
		{name: "rule without service", yaml: "ingress:\n - hostname: a.example.com\n - service: http_status:404\n",
			kind: KindServiceInvalid, message: "rule 0 has no service", rule: 0, line: 2},
		{name: "wildcard not at start", yaml: "ingress:\n - hostname: \"test.*.example.com\"\n   service: https://localhost:8000\n - service: http_status:404\n",
			kind: KindBadWildcard, message: `Hostname patterns can have at most one wildcard character ("*") and it can only be used for subdomains, e.g. "*.example.com"`, rule: 0, line: 2},
		{name: "two wildcards", yaml: "ingress:\n - hostname: \"*.*.example.com\"\n   service: https://localhost:8000\n - service: http_status:404\n",
			kind: KindBadWildcard},
		{name: "service with a path", yaml: "ingress:\n - service: https://localhost:8000/static/\n",
			kind: KindServiceHasPath, message: "https://localhost:8000/static/ is an invalid address, ingress rules don't support proxying to a different path on the origin service. The path will be the same as the eyeball request's path"},
		{name: "service with only a trailing slash", yaml: "ingress:\n - service: http://web:8080/\n", kind: KindServiceHasPath},
		{name: "http_status not a number", yaml: "ingress:\n - service: http_status:asdf\n",
			kind: KindHTTPStatusInvalid, message: `invalid HTTP status code: strconv.Atoi: parsing "asdf": invalid syntax`},
		{name: "http_status out of range", yaml: "ingress:\n - service: http_status:8080\n",
			kind: KindHTTPStatusInvalid, message: "invalid HTTP status code: 8080"},
		{name: "http_status 99", yaml: "ingress:\n - service: http_status:99\n", kind: KindHTTPStatusInvalid},
		{name: "http_status 999 is fine", valid: true, yaml: "ingress:\n - service: http_status:999\n"},
		{name: "http_status 404", valid: true, yaml: "ingress:\n - service: http_status:404\n"},
		{name: "hello_world", valid: true, yaml: "ingress:\n - service: hello_world\n"},
		{name: "hello-world", valid: true, yaml: "ingress:\n - service: hello-world\n"},
		{name: "tcp services", valid: true, yaml: `
ingress:
- hostname: tcp.foo.com
  service: tcp://127.0.0.1
- hostname: tcp2.foo.com
  service: tcp://localhost:8000
- service: http_status:404
`},
		{name: "ssh", valid: true, yaml: "ingress:\n- service: ssh://127.0.0.1\n"},
		{name: "rdp", valid: true, yaml: "ingress:\n- service: rdp://127.0.0.1\n"},
		{name: "smb", valid: true, yaml: "ingress:\n- service: smb://127.0.0.1\n"},
		{name: "any other scheme is TCP", valid: true, yaml: "ingress:\n- service: ftp://127.0.0.1\n"},
		{name: "unix socket", valid: true, yaml: "ingress:\n- service: unix:/tmp/echo.sock\n"},
		{name: "unix+tls socket", valid: true, yaml: "ingress:\n- service: unix+tls:/tmp/echo.sock\n"},
		{name: "socks proxy with ip rules", valid: true, yaml: `
ingress:
- hostname: socks.foo.com
  service: socks-proxy
  originRequest:
    ipRules:
      - prefix: 1.1.1.0/24
        ports: [80, 443]
        allow: true
      - prefix: 0.0.0.0/0
        allow: false
- service: http_status:404
`},
		{name: "socks proxy bad cidr", yaml: `
ingress:
- hostname: socks.foo.com
  service: socks-proxy
  originRequest:
    ipRules:
      - prefix: 1.1.1.0/33
- service: http_status:404
`, kind: KindSocksIPRuleInvalid, message: "unable to create ip rule for socks-proxy: unable to parse cidr: 1.1.1.0/33", rule: 0, line: 6},
		{name: "socks proxy missing prefix", yaml: "ingress:\n- service: socks-proxy\n  originRequest:\n    ipRules:\n      - allow: true\n",
			kind: KindSocksIPRuleInvalid, message: "unable to create ip rule for socks-proxy: no prefix provided"},
		{name: "socks proxy bad port", yaml: "ingress:\n- service: socks-proxy\n  originRequest:\n    ipRules:\n      - prefix: 10.0.0.0/8\n        ports: [0]\n",
			kind: KindSocksIPRuleInvalid, message: "invalid port 0, needs to be between 1 and 65535"},
		{name: "bastion mode needs no service", valid: true, yaml: `
ingress:
- hostname: bastion.foo.com
  originRequest:
    bastionMode: true
- service: http_status:404
`},
		{name: "top-level bastion mode makes any URL rule a bastion", valid: true, yaml: `
originRequest:
  bastionMode: true
ingress:
- service: localhost:22
`},
		{name: "bastion service", valid: true, yaml: "ingress:\n- hostname: bastion.foo.com\n  service: bastion\n- service: http_status:404\n"},
		{name: "bastion mode does not rescue a bad http_status", yaml: "ingress:\n- service: http_status:1\n  originRequest:\n    bastionMode: true\n", kind: KindHTTPStatusInvalid},
		{name: "hostname with port", yaml: `
ingress:
 - hostname: "test.example.com:443"
   service: https://localhost:8000
 - hostname: "*"
   service: https://localhost:8001
`, kind: KindHostnameHasPort, message: "Hostname cannot contain a port", rule: 0, line: 2},
		{name: "access without team name", yaml: `
ingress:
 - service: http://web:80
   originRequest:
     access:
       required: true
       audTag: ["aud1"]
`, kind: KindAccessTeamNameMissing, message: "access.TeamName cannot be blank when access.audTags are present", rule: 0, line: 4},
		{name: "access required alone is allowed", valid: true, yaml: "ingress:\n - service: http://web:80\n   originRequest:\n     access:\n       required: true\n"},
		{name: "access not required", valid: true, yaml: "ingress:\n - service: http://web:80\n   originRequest:\n     access:\n       audTag: [x]\n"},
		{name: "access complete", valid: true, yaml: "ingress:\n - service: http://web:80\n   originRequest:\n     access: {required: true, teamName: team, audTag: [a]}\n"},
		{name: "url beside ingress", yaml: "url: http://localhost:8000\ningress:\n - service: http://web:80\n",
			kind: KindURLWithIngress, message: "You can't set the --url flag (or $TUNNEL_URL) when using multiple-origin ingress rules", rule: -1, line: 1},
		{name: "warp-routing is not a service", yaml: "ingress:\n - service: warp-routing\n", kind: KindServiceInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := check(t, tt.yaml)
			if got := Valid(ps); got != tt.valid {
				t.Fatalf("Valid = %v, want %v; problems: %+v", got, tt.valid, ps)
			}
			if tt.valid {
				return
			}
			p, ok := find(ps, tt.kind)
			if !ok {
				t.Fatalf("no %s problem in %v", tt.kind, kindsOf(ps))
			}
			if !p.Fatal {
				t.Errorf("%s is not fatal", tt.kind)
			}
			if !strings.Contains(p.Message, tt.message) {
				t.Errorf("message %q does not contain %q", p.Message, tt.message)
			}
			if tt.message != "" && p.Rule != tt.rule {
				t.Errorf("rule = %d, want %d", p.Rule, tt.rule)
			}
			if tt.line != 0 && p.Line != tt.line {
				t.Errorf("line = %d, want %d", p.Line, tt.line)
			}
			if p.Fix == "" {
				t.Errorf("%s has no fix", tt.kind)
			}
		})
	}
}

// Every problem at once: cloudflared stops at the first, tunneldoctor lists
// them all, each with the rule and line it is about.
func TestValidateReportsEveryProblem(t *testing.T) {
	_, ps := check(t, `
ingress:
  - hostname: a.example.com:8443
    service: localhost:8080
  - hostname: b.*.example.com
    path: "(["
    service: http://b:80/x
  - service: http_status:404
  - hostname: c.example.com
    service: http_status:abc
`)
	want := map[Kind][2]int{ // kind -> rule, line
		KindHostnameHasPort:     {0, 2},
		KindServiceInvalid:      {0, 3},
		KindBadWildcard:         {1, 4},
		KindInvalidPathRegex:    {1, 5},
		KindServiceHasPath:      {1, 6},
		KindCatchAllNotLast:     {2, 7},
		KindHTTPStatusInvalid:   {3, 9},
		KindLastRuleNotCatchAll: {3, 8},
	}
	for k, rl := range want {
		p, ok := find(ps, k)
		if !ok {
			t.Errorf("missing %s in %v", k, kindsOf(ps))
			continue
		}
		if p.Rule != rl[0] || p.Line != rl[1] {
			t.Errorf("%s at rule %d line %d, want rule %d line %d", k, p.Rule, p.Line, rl[0], rl[1])
		}
	}
	ca, _ := find(ps, KindCatchAllNotLast)
	if fmt.Sprint(ca.Related) != "[3]" || !strings.Contains(ca.Message, "rule 3 (c.example.com)") {
		t.Errorf("catch-all should name the hidden rule 3: related %v, message %q", ca.Related, ca.Message)
	}
}

func TestCatchAllHidesManyRulesBriefly(t *testing.T) {
	var b strings.Builder
	b.WriteString("ingress:\n  - service: http_status:404\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "  - hostname: h%d.example.com\n    service: http://h%d:80\n", i, i)
	}
	b.WriteString("  - service: http_status:404\n")
	_, ps := check(t, b.String())
	p, _ := find(ps, KindCatchAllNotLast)
	if len(p.Related) != 41 { // 40 hostnames and the final catch-all
		t.Errorf("related = %d rules, want 41", len(p.Related))
	}
	if !strings.Contains(p.Message, "and 36 more") || len(p.Message) > 600 {
		t.Errorf("message should name 5 rules then a count: %q", p.Message)
	}
}

// Beyond cloudflared: accepted configurations where requests do not go
// where the author meant. None of these may change the verdict.
func TestValidateWarnings(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		kind  Kind
		rule  int
		text  string
		valid bool
	}{
		{name: "wildcard before specific", kind: KindRuleShadowed, rule: 1, text: "rule 0 (*.example.com)", valid: true, yaml: `
ingress:
  - hostname: "*.example.com"
    service: http://wild:80
  - hostname: app.example.com
    service: http://app:80
  - service: http_status:404
`},
		{name: "wildcard before deeper wildcard", kind: KindRuleShadowed, rule: 1, valid: true, yaml: `
ingress:
  - hostname: "*.example.com"
    service: http://wild:80
  - hostname: "*.eu.example.com"
    service: http://eu:80
  - service: http_status:404
`},
		{name: "same host without path before path", kind: KindRuleShadowed, rule: 1, text: "every path", valid: true, yaml: `
ingress:
  - hostname: app.example.com
    service: http://app:80
  - hostname: app.example.com
    path: ^/api
    service: http://api:80
  - service: http_status:404
`},
		{name: "hostless path before same path", kind: KindRuleShadowed, rule: 1, valid: true, yaml: `
ingress:
  - path: ^/health
    service: http://health:80
  - hostname: app.example.com
    path: ^/health
    service: http://app:80
  - service: http_status:404
`},
		{name: "upper-case rule shadows its lowercase twin", kind: KindRuleShadowed, rule: 1, valid: true, yaml: `
ingress:
  - hostname: App.example.com
    service: http://a:80
  - hostname: app.example.com
    service: http://b:80
  - service: http_status:404
`},
		{name: "duplicate rule", kind: KindDuplicateRule, rule: 2, text: "repeats rule 0", valid: true, yaml: `
ingress:
  - hostname: app.example.com
    path: ^/api
    service: http://a:80
  - hostname: other.example.com
    service: http://o:80
  - hostname: app.example.com
    path: ^/api
    service: http://b:80
  - service: http_status:404
`},
		{name: "literal star prefix", kind: KindWildcardLiteral, rule: 0, text: "literal", valid: true, yaml: `
ingress:
  - hostname: "*foo.example.com"
    service: http://a:80
  - service: http_status:404
`},
		{name: "upper-case wildcard never matches", kind: KindHostnameCaseNoMatch, rule: 0, valid: true, yaml: `
ingress:
  - hostname: "*.Example.com"
    service: http://a:80
  - service: http_status:404
`},
		{name: "upper-case hostname is advice", kind: KindHostnameUpperCase, rule: 0, valid: true, yaml: `
ingress:
  - hostname: App.Example.com
    service: http://a:80
  - service: http_status:404
`},
		{name: "localhost", kind: KindLoopbackService, rule: 0, text: "localhost:8080", valid: true, yaml: "ingress:\n  - service: http://localhost:8080\n"},
		{name: "127.0.0.1", kind: KindLoopbackService, valid: true, yaml: "ingress:\n  - service: https://127.0.0.1\n"},
		{name: "::1", kind: KindLoopbackService, valid: true, yaml: "ingress:\n  - service: http://[::1]:80\n"},
		{name: "0.0.0.0", kind: KindLoopbackService, valid: true, yaml: "ingress:\n  - service: http://0.0.0.0:80\n"},
		{name: "port out of range", kind: KindServicePortInvalid, text: "99999", valid: true, yaml: "ingress:\n  - service: http://web:99999\n"},
		{name: "port zero", kind: KindServicePortInvalid, valid: true, yaml: "ingress:\n  - service: http://web:0\n"},
		{name: "tcp scheme without default port", kind: KindServicePortInvalid, text: "no default port for ftp", valid: true, yaml: "ingress:\n  - service: ftp://files\n"},
		{name: "query string", kind: KindServiceQuery, valid: true, yaml: "ingress:\n  - service: http://web:80?token=x\n"},
		{name: "noTLSVerify on a rule", kind: KindNoTLSVerify, rule: 0, valid: true, yaml: "ingress:\n  - service: https://web:443\n    originRequest:\n      noTLSVerify: true\n"},
		{name: "noTLSVerify at top level", kind: KindNoTLSVerify, rule: -1, valid: true, yaml: "originRequest:\n  noTLSVerify: true\ningress:\n  - service: https://web:443\n"},
		{name: "TLS option on http", kind: KindTLSOptionWithoutTLS, text: "originServerName", valid: true, yaml: "ingress:\n  - service: http://web:80\n    originRequest:\n      originServerName: web.internal\n"},
		{name: "http2Origin at top level over http rules", kind: KindHTTP2OriginWithoutTLS, rule: -1, text: "rule 0 (any hostname)", valid: true, yaml: "originRequest:\n  http2Origin: true\ningress:\n  - service: http://grpc:50051\n"},
		{name: "http2Origin on an http rule", kind: KindHTTP2OriginWithoutTLS, rule: 0, valid: true, yaml: "ingress:\n  - service: http://grpc:50051\n    originRequest:\n      http2Origin: true\n"},
		{name: "legacy flag in the file", kind: KindLegacyFlagIgnored, rule: -1, text: "no-tls-verify", valid: true, yaml: "no-tls-verify: true\ningress:\n  - service: https://web:443\n"},
		{name: "output in the file", kind: KindSettingNotFromFile, rule: -1, valid: true, yaml: "output: json\ningress:\n  - service: https://web:443\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := check(t, tt.yaml)
			p, ok := find(ps, tt.kind)
			if !ok {
				t.Fatalf("no %s in %v", tt.kind, kindsOf(ps))
			}
			if p.Fatal {
				t.Errorf("%s must not be fatal: cloudflared accepts this", tt.kind)
			}
			if Valid(ps) != tt.valid {
				t.Errorf("Valid = %v, want %v: %+v", Valid(ps), tt.valid, ps)
			}
			if p.Rule != tt.rule {
				t.Errorf("rule = %d, want %d", p.Rule, tt.rule)
			}
			if !strings.Contains(p.Message, tt.text) {
				t.Errorf("message %q lacks %q", p.Message, tt.text)
			}
			if p.Fix == "" || p.Line == 0 {
				t.Errorf("fix %q line %d: want both", p.Fix, p.Line)
			}
		})
	}
}

// Rules that only look alike must not be called shadowed.
func TestShadowingIsNeverGuessed(t *testing.T) {
	_, ps := check(t, `
ingress:
  - hostname: app.example.com
    path: ^/api
    service: http://api:80
  - hostname: app.example.com
    service: http://app:80
  - hostname: example.com
    service: http://apex:80
  - hostname: "*.example.com"
    service: http://wild:80
  - hostname: x.example.org
    service: http://x:80
  - hostname: app.example.com
    path: ^/api/v2
    service: http://v2:80
  - service: http_status:404
`)
	for _, p := range ps {
		if p.Kind == KindRuleShadowed || p.Kind == KindDuplicateRule {
			if p.Rule != 5 {
				t.Errorf("unexpected %s for rule %d: %s", p.Kind, p.Rule, p.Message)
			}
		}
	}
	// Rule 5 is shadowed by rule 1 (same host, any path).
	if p, ok := find(ps, KindRuleShadowed); !ok || p.Rule != 5 || p.Related[0] != 1 {
		t.Errorf("rule 5 should be shadowed by rule 1: %+v", ps)
	}
}

func TestValidateWithSettings(t *testing.T) {
	c, _ := Parse([]byte("ingress:\n  - service: https://web:443\n"), "x.yml")
	s := ParseCommandLine([]string{"cloudflared", "--no-autoupdate"}, []string{"tunnel", "--url", "http://x:1", "--no-tls-verify", "run"}, []string{"TUNNEL_ORIGIN_SERVER_NAME=web.internal"})
	ps := ValidateWithSettings(c, &s)
	if p, ok := find(ps, KindURLWithIngress); !ok || !p.Fatal || p.Field != "--url" {
		t.Errorf("--url with ingress: %+v", ps)
	}
	var legacy []string
	for _, p := range ps {
		if p.Kind == KindLegacyFlagIgnored {
			legacy = append(legacy, p.Field)
		}
	}
	if fmt.Sprint(legacy) != "[--no-tls-verify --origin-server-name]" {
		t.Errorf("legacy flags reported: %v", legacy)
	}
	if Valid(Validate(c)) != true {
		t.Error("without settings the file alone is valid")
	}
	noRules, _ := Parse(nil, "empty.yml")
	p, _ := find(ValidateWithSettings(noRules, &s), KindNoRules)
	if !strings.Contains(p.Message, "--url http://x:1") {
		t.Errorf("no-rules message should say run serves --url: %q", p.Message)
	}
}

func TestNoRulesIsFatalOnlyForFiles(t *testing.T) {
	remote, err := ParseJSON([]byte(`{"version":4,"config":{"ingress":[]}}`), FromCloudflared)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := find(Validate(remote), KindNoRules); !ok || p.Fatal || !strings.Contains(p.Message, "503") {
		t.Errorf("remote config without rules is accepted by cloudflared: %+v", p)
	}
	file, _ := Parse([]byte("metrics: 0.0.0.0:2000\n"), "config.yml")
	if p, _ := find(Validate(file), KindNoRules); !p.Fatal {
		t.Error("a file without rules fails `ingress validate`")
	}
	s := ParseCommandLine(nil, []string{"cloudflared", "tunnel", "run", "--token", goodToken(t)}, nil)
	if p, _ := find(ValidateWithSettings(file, &s), KindNoRules); p.Fatal || !strings.Contains(p.Message, "token") {
		t.Errorf("with a token the file needs no rules: %+v", p)
	}
}

func TestCLIURLDefaultsToHTTP(t *testing.T) {
	c := &Config{Origin: FromCLI, Version: LocalVersion, Rules: []Rule{{Service: "localhost:8080"}}}
	ps := Validate(c)
	if !Valid(ps) || !hasKind(ps, KindLoopbackService) {
		t.Errorf("--url localhost:8080 is http://localhost:8080 to cloudflared: %+v", ps)
	}
}

func TestValidateNilConfig(t *testing.T) {
	if ps := Validate(nil); Valid(ps) || !hasKind(ps, KindNoRules) {
		t.Errorf("nil config: %+v", ps)
	}
}

// A misspelt `hostname` (or `path`) makes the rule a catch-all; the fix for
// the catch-all-not-last error is the rename, and applying it (rewriting the
// file as the fix says) leaves a configuration cloudflared accepts.
func TestCatchAllFromMisspeltMatcherFixIsRename(t *testing.T) {
	tests := []struct{ name, yml, from, to string }{
		{"hostname typo", `
ingress:
  - hostname: a.rv.test
    service: http://a:80
  - hostnme: b.rv.test
    service: http://b:80
  - service: http_status:404
`, "hostnme", "hostname"},
		{"hostname case", `
ingress:
  - Hostname: b.rv.test
    service: http://b:80
  - service: http_status:404
`, "Hostname", "hostname"},
		{"path typo", `
ingress:
  - pth: ^/api
    service: http://b:80
  - service: http_status:404
`, "pth", "path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := check(t, tt.yml)
			p, ok := find(ps, KindCatchAllNotLast)
			if !ok {
				t.Fatalf("no %s in %v", KindCatchAllNotLast, kindsOf(ps))
			}
			u, ok := find(ps, KindUnknownKey)
			if !ok {
				t.Fatalf("no %s in %v", KindUnknownKey, kindsOf(ps))
			}
			want := fmt.Sprintf("Rename `%s` to `%s` on line %d", tt.from, tt.to, u.Line)
			if !strings.HasPrefix(p.Fix, want) || !strings.Contains(p.Fix, "catch-all") {
				t.Errorf("fix = %q, want it to start %q and say why it is a catch-all", p.Fix, want)
			}
			if p.Line != u.Line {
				t.Errorf("line = %d, want the misspelt key's line %d", p.Line, u.Line)
			}
			// Apply the fix literally: rename the key on that line.
			lines := strings.Split(strings.TrimLeft(tt.yml, "\n"), "\n")
			lines[p.Line-1] = strings.Replace(lines[p.Line-1], tt.from+":", tt.to+":", 1)
			_, after := check(t, strings.Join(lines, "\n"))
			if !Valid(after) || len(after) != 0 {
				t.Errorf("after the rename: %v, want no problems", kindsOf(after))
			}
		})
	}
}

// A catch-all that is one on purpose keeps the move-it fix.
func TestCatchAllNotLastWithoutTypoKeepsMoveFix(t *testing.T) {
	_, ps := check(t, `
ingress:
  - service: http://b:80
    servce: x
  - hostname: a.rv.test
    service: http://a:80
  - service: http_status:404
`)
	p, _ := find(ps, KindCatchAllNotLast)
	if !strings.HasPrefix(p.Fix, "Move rule 0") {
		t.Errorf("fix = %q, want the move", p.Fix)
	}
}

// cloudflared's /config shows its built-in 503 catch-all when the ingress
// list is empty (or when it runs a token without any config): that is no
// rules, not one healthy catch-all.
func TestOnlyDefault503RuleIsNoRules(t *testing.T) {
	for _, tc := range []struct {
		json   string
		origin Origin
	}{
		{`{"version":-1,"config":{"ingress":[{"hostname":"","path":null,"service":"http_status:503"}]}}`, FromCloudflared},
		{`{"version":0,"config":{"ingress":[{"hostname":"","service":"http_status:503"}],"warp-routing":{}}}`, FromCloudflared},
		{`{"tunnel_id":"t","version":3,"config":{"ingress":[{"service":"http_status:503"}]},"source":"cloudflare"}`, FromAPI},
	} {
		c, err := ParseJSON([]byte(tc.json), tc.origin)
		if err != nil {
			t.Fatal(err)
		}
		ps := Validate(c)
		p, ok := find(ps, KindNoRules)
		if !ok || p.Fatal || !strings.Contains(p.Message, "503 to every request") {
			t.Errorf("%s: want a no-rules problem, got %+v", tc.json, ps)
		}
		for _, q := range ps {
			if q.Rule == 0 {
				t.Errorf("%s: the implicit rule is not the user's, got %+v", tc.json, q)
			}
		}
	}
	// A real catch-all of the user's, or a file's lone 503 rule, is a rule.
	for _, c := range []*Config{
		{Origin: FromCloudflared, Rules: []Rule{{Service: "http_status:404"}}},
		{Origin: FromCloudflared, Rules: []Rule{{Hostname: "a.example.com", Service: "http_status:503"}}},
		{Origin: FromFile, Version: LocalVersion, Rules: []Rule{{Service: "http_status:503"}}},
	} {
		if hasKind(Validate(c), KindNoRules) {
			t.Errorf("%+v has a rule", c.Rules)
		}
	}
}
