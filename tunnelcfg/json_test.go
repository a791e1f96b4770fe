package tunnelcfg

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestParseJSONConfigEndpoint(t *testing.T) {
	data, err := os.ReadFile("testdata/config_endpoint.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseJSON(data, FromCloudflared)
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != 3 || c.Origin != FromCloudflared || len(c.Rules) != 3 {
		t.Fatalf("version %d origin %s rules %d", c.Version, c.Origin, len(c.Rules))
	}
	if c.Rules[0].Path != "" || c.Rules[1].Path != "^/x" || c.Rules[1].Index != 1 {
		t.Errorf("paths: %+v", c.Rules)
	}
	if got := c.Effective(1); got.ConnectTimeout != 1500*time.Millisecond || !got.NoTLSVerify {
		t.Errorf("resolved originRequest: %+v", got)
	}
	if ps := Validate(c); !Valid(ps) {
		t.Errorf("cloudflared ran this config, so it must be valid: %+v", ps)
	}
	if c.Match("socks.example.com", "/x") != 1 || c.Match("app.example.com", "/") != 0 {
		t.Error("matching a JSON config")
	}
}

func TestParseJSONAPIShapes(t *testing.T) {
	result := `{"tunnel_id":"6ff42ae2-765d-4adf-8112-31c55c1551ef","version":7,"source":"cloudflare","created_at":"2026-01-01T00:00:00Z",
	  "config":{"ingress":[{"hostname":"a.example.com","service":"http://a:80","originRequest":{"connectTimeout":5,"noTLSVerify":true}},{"service":"http_status:404"}],
	  "originRequest":{"tlsTimeout":3},"warp-routing":{"connectTimeout":2}}}`
	for name, doc := range map[string]string{
		"result":   result,
		"envelope": `{"success":true,"errors":[],"messages":[],"result":` + result + `}`,
	} {
		c, err := ParseJSON([]byte(doc), FromAPI)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.Version != 7 || c.Source != "cloudflare" || c.Tunnel != "6ff42ae2-765d-4adf-8112-31c55c1551ef" || len(c.Rules) != 2 {
			t.Errorf("%s: %+v", name, c)
		}
		e := c.Effective(0)
		if e.ConnectTimeout != 5*time.Second || e.TLSTimeout != 3*time.Second || !e.NoTLSVerify {
			t.Errorf("%s: effective %+v", name, e)
		}
		if c.EffectiveWarpRouting().ConnectTimeout != 2*time.Second {
			t.Errorf("%s: warp routing", name)
		}
	}
	bare, err := ParseJSON([]byte(`{"ingress":[{"service":"http://a:1/x"}]}`), FromCLI)
	if err != nil || bare.Version != LocalVersion || !hasKind(Validate(bare), KindServiceHasPath) {
		t.Errorf("bare config: %v %+v", err, bare)
	}
}

func TestParseJSONErrors(t *testing.T) {
	for doc, want := range map[string]string{
		`{`:                               "tunnel configuration JSON",
		`[]`:                              "tunnel configuration JSON",
		`{"foo":1}`:                       `no "config" or "ingress" key`,
		`{"success":false,"result":null}`: "no result",
		`{"config":{"ingress":{}}}`:       "config:",
		`{"version":"x","config":{}}`:     "version",
		`{"config":{"ingress":[{"originRequest":{"connectTimeout":"soon"}}]}}`: "duration",
	} {
		if _, err := ParseJSON([]byte(doc), FromAPI); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", doc, err, want)
		}
	}
	c, err := ParseJSON([]byte(`{"version":0,"config":null}`), FromAPI)
	if err != nil || len(c.Rules) != 0 {
		t.Errorf("null config: %v", err)
	}
}

func TestDurationEncodings(t *testing.T) {
	var d Duration
	for in, want := range map[string]time.Duration{`30`: 30 * time.Second, `1.5`: 1500 * time.Millisecond, `"45s"`: 45 * time.Second, `0`: 0} {
		if err := json.Unmarshal([]byte(in), &d); err != nil || d.Duration != want {
			t.Errorf("JSON %s: %v %v", in, d, err)
		}
	}
	for _, bad := range []string{`true`, `"soon"`, `1e300`} {
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("JSON %s should fail", bad)
		}
	}
	for in, want := range map[Duration]string{{30 * time.Second}: "30", {1500 * time.Millisecond}: "1.5"} {
		if b, _ := json.Marshal(in); string(b) != want {
			t.Errorf("marshal %v = %s, want %s", in, b, want)
		}
	}
	if err := yaml.Unmarshal([]byte(`90s`), &d); err != nil || d.Duration != 90*time.Second {
		t.Errorf("YAML string: %v %v", d, err)
	}
	if err := yaml.Unmarshal([]byte(`5`), &d); err == nil {
		t.Error("YAML integer must fail as in cloudflared")
	}
	if out, _ := yaml.Marshal(Duration{2 * time.Minute}); strings.TrimSpace(string(out)) != "2m0s" {
		t.Errorf("YAML marshal: %s", out)
	}
}
