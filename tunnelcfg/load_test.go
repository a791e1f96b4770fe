package tunnelcfg

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseModelsEveryField(t *testing.T) {
	c, ps := Parse([]byte(`tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
credentials-file: /etc/cloudflared/6ff42ae2.json
metrics: 0.0.0.0:20241
protocol: http2
edge-ip-version: "4"
tag: [a, b]
warp-routing:
  connectTimeout: 7s
  maxActiveFlows: 10
  tcpKeepAlive: 15s
originRequest:
  connectTimeout: 10s
  tlsTimeout: 3s
  tcpKeepAlive: 20s
  noHappyEyeballs: true
  keepAliveConnections: 7
  keepAliveTimeout: 1m
  httpHostHeader: internal.example
  originServerName: origin.example
  matchSNItoHost: true
  caPool: /ca.pem
  noTLSVerify: false
  disableChunkedEncoding: true
  proxyAddress: 0.0.0.0
  proxyPort: 8000
  proxyType: socks
  http2Origin: true
ingress:
  - hostname: app.example.com
    path: ^/api
    service: https://app:8443
    originRequest:
      access:
        required: true
        teamName: team
        audTag: [aud1, aud2]
        environment: fed
  - service: http_status:404
`), "/etc/cloudflared/config.yml")
	if len(ps) != 0 {
		t.Fatalf("unexpected problems: %+v", ps)
	}
	if c.Tunnel != "6ff42ae2-765d-4adf-8112-31c55c1551ef" || c.CredentialsFile != "/etc/cloudflared/6ff42ae2.json" {
		t.Errorf("tunnel/credentials: %q %q", c.Tunnel, c.CredentialsFile)
	}
	if c.Origin != FromFile || c.Version != LocalVersion || c.Path != "/etc/cloudflared/config.yml" {
		t.Errorf("origin %q version %d path %q", c.Origin, c.Version, c.Path)
	}
	if s := c.Settings["metrics"]; s.Value != "0.0.0.0:20241" || s.Line != 3 {
		t.Errorf("metrics setting: %+v", s)
	}
	if c.Settings["tag"].Value != "a,b" || c.Settings["edge-ip-version"].Value != "4" {
		t.Errorf("settings: %+v", c.Settings)
	}
	if *c.WarpRouting.MaxActiveFlows != 10 || c.WarpRouting.ConnectTimeout.Duration != 7*time.Second {
		t.Errorf("warp-routing: %+v", c.WarpRouting)
	}
	o := c.OriginRequest
	if o.ConnectTimeout.Duration != 10*time.Second || *o.KeepAliveConnections != 7 || *o.ProxyPort != 8000 ||
		*o.HTTPHostHeader != "internal.example" || !*o.HTTP2Origin || *o.NoTLSVerify {
		t.Errorf("originRequest not modelled: %+v", o)
	}
	r := c.Rules[0]
	if r.Index != 0 || r.Line != 29 || r.LineOf("service") != 31 || r.LineOf("originRequest.access.teamName") != 35 {
		t.Errorf("rule lines: index %d line %d service %d teamName %d", r.Index, r.Line, r.LineOf("service"), r.LineOf("originRequest.access.teamName"))
	}
	if a := r.OriginRequest.Access; a == nil || !a.Required || a.TeamName != "team" || len(a.AudTag) != 2 || a.Environment != "fed" {
		t.Errorf("access: %+v", r.OriginRequest.Access)
	}
	if c.Rules[1].Index != 1 || c.Rules[1].Line != 38 {
		t.Errorf("rule 1 index/line: %d %d", c.Rules[1].Index, c.Rules[1].Line)
	}
	if c.LineOf("originRequest.caPool") != 21 {
		t.Errorf("top-level line: %d", c.LineOf("originRequest.caPool"))
	}
}

func TestParseTypeErrorsAreFatalWithLines(t *testing.T) {
	tests := []struct {
		name, yaml string
		kind       Kind
		line       int
		field      string
		text       string
	}{
		{"duration as int", "originRequest:\n  connectTimeout: 5\ningress:\n  - service: http://a:1\n", KindTypeError, 2, "originRequest.connectTimeout", "cannot unmarshal !!int `5` into time.Duration"},
		{"duration in a rule", "ingress:\n  - service: http://a:1\n    originRequest:\n      tlsTimeout: 10\n", KindTypeError, 4, "originRequest.tlsTimeout", "time.Duration"},
		{"bad duration string", "originRequest:\n  keepAliveTimeout: forever\ningress:\n  - service: http://a:1\n", KindTypeError, 2, "originRequest.keepAliveTimeout", "forever"},
		{"bool as word", "ingress:\n  - service: https://a:1\n    originRequest:\n      noTLSVerify: maybe\n", KindTypeError, 4, "originRequest.noTLSVerify", "into bool"},
		{"int as text", "originRequest:\n  keepAliveConnections: lots\ningress:\n  - service: http://a:1\n", KindTypeError, 2, "originRequest.keepAliveConnections", "into int"},
		{"ingress as a map", "ingress:\n  hostname: a.example.com\n  service: http://a:1\n", KindTypeError, 2, "", "the ingress list"},
		{"metrics as int", "metrics: 5\ningress:\n  - service: http://a:1\n", KindSettingType, 1, "metrics", `expected string found int for metrics`},
		{"bool flag as text", "no-autoupdate: \"yes\"\ningress:\n  - service: http://a:1\n", KindSettingType, 1, "no-autoupdate", "expected boolean found string for no-autoupdate"},
		{"int flag as text", "retries: \"5\"\ningress:\n  - service: http://a:1\n", KindSettingType, 1, "retries", "expected int found string for retries"},
		{"duration flag bad", "grace-period: 30\ningress:\n  - service: http://a:1\n", KindSettingType, 1, "grace-period", "expected duration found int for grace-period"},
		{"duplicate key", "ingress:\n  - service: http://a:1\n    service: http://b:1\n", KindDuplicateKey, 3, "service", `mapping key "service" already defined at line 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := Parse([]byte(tt.yaml), "x.yml")
			p, ok := find(ps, tt.kind)
			if !ok {
				t.Fatalf("no %s in %+v", tt.kind, ps)
			}
			if !p.Fatal || Valid(ps) {
				t.Errorf("%s must be fatal", tt.kind)
			}
			if p.Line != tt.line || p.Field != tt.field {
				t.Errorf("line %d field %q, want %d %q", p.Line, p.Field, tt.line, tt.field)
			}
			if !strings.Contains(p.Message, tt.text) || p.Fix == "" {
				t.Errorf("message %q (want %q), fix %q", p.Message, tt.text, p.Fix)
			}
		})
	}
}

func TestParseUnknownKeysSuggest(t *testing.T) {
	_, ps := Parse([]byte(`Ingress: []
originrequest: {}
credentials_file: /x.json
cred-file: /y.json
ingress:
  - hostname: a.example.com
    Service: http://a:1
    service: http://a:1
    originRequest:
      noTlsVerify: true
      originServername: a
      acess: {}
      access:
        teamname: t
      ipRules:
        - prefx: 10.0.0.0/8
  - service: http_status:404
    orginRequest: {}
warp-routing:
  enabled: true
`), "x.yml")
	want := []struct {
		field, suggestion string
		rule, line        int
	}{
		{"Ingress", "ingress", -1, 1},
		{"originrequest", "originRequest", -1, 2},
		{"credentials_file", "credentials-file", -1, 3},
		{"cred-file", "credentials-file", -1, 4},
		{"Service", "service", 0, 7},
		{"originRequest.noTlsVerify", "noTLSVerify", 0, 10},
		{"originRequest.originServername", "originServerName", 0, 11},
		{"originRequest.acess", "access", 0, 12},
		{"originRequest.access.teamname", "teamName", 0, 14},
		{"originRequest.ipRules[0].prefx", "prefix", 0, 16},
		{"orginRequest", "originRequest", 1, 18},
		{"warp-routing.enabled", "", -1, 20},
	}
	var got []Problem
	for _, p := range ps {
		if p.Kind == KindUnknownKey {
			got = append(got, p)
		}
		if p.Fatal {
			t.Errorf("unknown keys must not be fatal: %+v", p)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %d unknown keys, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		p := got[i]
		if p.Field != w.field || p.Rule != w.rule || p.Line != w.line {
			t.Errorf("%d: field %q rule %d line %d, want %q %d %d", i, p.Field, p.Rule, p.Line, w.field, w.rule, w.line)
		}
		if w.suggestion != "" && !strings.Contains(p.Message+p.Fix, "`"+w.suggestion+"`") {
			t.Errorf("%s: no suggestion %q in %q / %q", w.field, w.suggestion, p.Message, p.Fix)
		}
	}
}

func TestParseMalformedYAML(t *testing.T) {
	for _, tt := range []struct {
		yaml string
		line int
	}{
		{"ingress:\n  - hostname: a\n   service: b\n", 3},
		{"ingress:\n\t- service: http://a:1\n", 2},
		{"ingress: [\n", 1},
		{strings.Repeat("# comment\n", 50) + "ingress:\n  - service: http://a:1\n    path: ^/x\n  - service: 'http_status:404\n", 54},
		{"ingress:\n  - service: http://a:1\n  hostname: x\n", 3},
	} {
		c, ps := Parse([]byte(tt.yaml), "bad.yml")
		if c == nil || len(ps) != 1 || ps[0].Kind != KindYAMLSyntax || !ps[0].Fatal {
			t.Fatalf("%q: %+v", tt.yaml, ps)
		}
		if ps[0].Line != tt.line || !strings.Contains(ps[0].Message, "line") {
			t.Errorf("%q: line %d, want %d: %s", tt.yaml, ps[0].Line, tt.line, ps[0].Message)
		}
	}
}

func TestParseEmptyAndCommentOnly(t *testing.T) {
	for _, in := range []string{"", "# nothing\n", "---\n"} {
		c, ps := Parse([]byte(in), "e.yml")
		if c == nil || len(ps) != 0 || len(c.Rules) != 0 {
			t.Errorf("%q: %+v %+v", in, c, ps)
		}
		if !hasKind(Validate(c), KindNoRules) {
			t.Errorf("%q: expected no-rules from Validate", in)
		}
	}
}

func TestLoadErrorsAndFile(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := Load(filepath.Join(dir, "missing.yml")); err == nil || !strings.Contains(err.Error(), "missing.yml") {
		t.Errorf("missing file: %v", err)
	}
	if _, _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	p := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(p, []byte("ingress:\n  - service: http://web:80\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, ps, err := Load(p)
	if err != nil || len(ps) != 0 || c.Path != p || len(c.Rules) != 1 {
		t.Errorf("Load: %v %+v %+v", err, ps, c)
	}
}

func TestParseHugeFile(t *testing.T) {
	data := generateConfig(5000)
	c, ps := Parse(data, "big.yml")
	ps = append(ps, Validate(c)...)
	if len(c.Rules) != 5001 || !Valid(ps) {
		t.Fatalf("rules %d valid %v", len(c.Rules), Valid(ps))
	}
	if c.Rules[4999].Line == 0 || c.Rules[4999].Index != 4999 {
		t.Errorf("last rule line/index: %+v", c.Rules[4999])
	}
}

func TestSecretSettingsAreRedacted(t *testing.T) {
	c, _ := Parse([]byte("token: eyJhIjoiYWJjIn0=\napi-key: sekrit\nmy-password: hunter2\ningress:\n  - service: http://a:1\n"), "x.yml")
	for _, k := range []string{"token", "api-key", "my-password"} {
		if v := c.Settings[k].Value; v != Redacted {
			t.Errorf("%s = %q, want redacted", k, v)
		}
	}
}

// Rules are decoded one at a time; anchors, aliases and a repeated
// `ingress` key must still read as yaml.v3 reads the whole file.
func TestParseRulesOneByOneKeepsYAMLSemantics(t *testing.T) {
	c, ps := Parse([]byte(`x-base: &base
  service: http://base:80
ingress:
  - &first
    hostname: a.example.com
    service: http://a:80
  - <<: *base
    hostname: b.example.com
  - *first
  - service: http_status:404
`), "x.yml")
	if len(ps) != 1 || ps[0].Field != "x-base" || len(c.Rules) != 4 { // x-base: ignored by cloudflared
		t.Fatalf("%+v %+v", ps, c.Rules)
	}
	if c.Rules[1].Service != "http://base:80" || c.Rules[2].Hostname != "a.example.com" || c.Rules[3].Line != 10 {
		t.Errorf("rules: %+v", c.Rules)
	}
	c, ps = Parse([]byte("ingress:\n  - service: http://first:1\ningress:\n  - service: http://second:1\n"), "x.yml")
	if !hasKind(ps, KindDuplicateKey) || len(c.Rules) != 1 || c.Rules[0].Service != "http://second:1" || c.Rules[0].Line != 4 {
		t.Errorf("repeated ingress key: %+v %+v", ps, c.Rules)
	}
	c, ps = Parse([]byte("ingress:\n  - service: http://a:1\n    originRequest:\n      connectTimeout: 5\n  - service: [x]\n"), "x.yml")
	var lines []int
	for _, p := range ps {
		if p.Kind == KindTypeError {
			lines = append(lines, p.Line)
			if p.Rule < 0 {
				t.Errorf("type error without its rule: %+v", p)
			}
		}
	}
	if len(lines) != 2 || lines[0] != 4 || lines[1] != 5 || len(c.Rules) != 2 {
		t.Errorf("type errors in rules: %v %+v", lines, ps)
	}
}

// A file that is not YAML gets one problem, the syntax error with its line:
// "no ingress rules" on top would send the user after a second, false cause.
func TestSyntaxErrorIsTheOnlyProblem(t *testing.T) {
	c, ps := Parse([]byte("ingress:\n  - hostname: a.example.com\n    service: http://web:80\n  - service: [oops\n"), "bad.yml")
	ps = append(ps, Validate(c)...)
	if len(ps) != 1 || ps[0].Kind != KindYAMLSyntax || !ps[0].Fatal {
		t.Fatalf("problems = %+v, want exactly one fatal syntax problem", ps)
	}
	if ps[0].Line != 4 {
		t.Errorf("line = %d, want 4 (where the text stops being YAML)", ps[0].Line)
	}
}

// A syntax error names one location, the line to edit; yaml.v3's own line
// (where the enclosing block starts) is context, not a second location, and
// the fix names the same line.
func TestSyntaxErrorNamesOneLine(t *testing.T) {
	in := "ingress:\n  - hostname: a.example.com\n    service: http://a:80\n  - service: http_status:404\n oops: x\n"
	_, ps := Parse([]byte(in), "bad.yml")
	if len(ps) != 1 || ps[0].Kind != KindYAMLSyntax {
		t.Fatalf("problems = %+v", ps)
	}
	p := ps[0]
	if p.Line != 5 {
		t.Fatalf("line = %d, want 5", p.Line)
	}
	want := "not valid YAML: line 5: did not find expected key (in the block that starts at line "
	if !strings.Contains(p.Message, want) {
		t.Errorf("message = %q, want it to contain %q", p.Message, want)
	}
	if strings.Count(p.Message, "line 5") != 1 || strings.Contains(p.Message, "yaml: line") {
		t.Errorf("message should name line 5 once as the location: %q", p.Message)
	}
	if !strings.HasPrefix(p.Fix, "Fix the YAML at line 5 ") {
		t.Errorf("fix = %q, want it to name line 5", p.Fix)
	}
}
