package tunnelcfg

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

const (
	testTunnelID = "6ff42ae2-765d-4adf-8112-31c55c1551ef"
	testSecret   = "c2VjcmV0LXNlY3JldC1zZWNyZXQtMzItYnl0ZXMhIQ==" // base64 of the secret bytes
)

// makeToken encodes a token the way cloudflared does (connection.go Encode).
func makeToken(t testing.TB, fields map[string]any, enc *base64.Encoding) string {
	t.Helper()
	b, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	return enc.EncodeToString(b)
}

func goodToken(t testing.TB) string {
	return makeToken(t, map[string]any{"a": "0123456789abcdef", "t": testTunnelID, "s": testSecret}, base64.StdEncoding)
}

func TestDecodeToken(t *testing.T) {
	tok, err := DecodeToken(goodToken(t))
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccountTag != "0123456789abcdef" || tok.TunnelID != testTunnelID || tok.SecretLen != secretLen(t) || !tok.StdBase64 {
		t.Errorf("%+v", tok)
	}
	fed, err := DecodeToken(makeToken(t, map[string]any{"a": "acc", "t": testTunnelID, "s": testSecret, "e": "fed"}, base64.StdEncoding))
	if err != nil || fed.Endpoint != "fed" {
		t.Errorf("fed endpoint: %+v %v", fed, err)
	}
}

func TestDecodeTokenErrors(t *testing.T) {
	tests := map[string]struct {
		token string
		want  string
	}{
		"empty":          {"", "empty"},
		"not base64":     {"not a token!", "not base64"},
		"not JSON":       {base64.StdEncoding.EncodeToString([]byte("hello")), "not the JSON object"},
		"missing t":      {makeToken(t, map[string]any{"a": "acc", "s": testSecret}, base64.StdEncoding), `missing the tunnel ID ("t")`},
		"t not a UUID":   {makeToken(t, map[string]any{"a": "acc", "t": "my-tunnel", "s": testSecret}, base64.StdEncoding), "not a UUID"},
		"missing a":      {makeToken(t, map[string]any{"t": testTunnelID, "s": testSecret}, base64.StdEncoding), `missing the account tag ("a")`},
		"missing s":      {makeToken(t, map[string]any{"a": "acc", "t": testTunnelID}, base64.StdEncoding), `missing the tunnel secret ("s")`},
		"s not base64":   {makeToken(t, map[string]any{"a": "acc", "t": testTunnelID, "s": "%%%"}, base64.StdEncoding), `secret ("s") is not base64`},
		"url-safe token": {makeToken(t, map[string]any{"a": "acc?>", "t": testTunnelID, "s": testSecret}, base64.RawURLEncoding), "only accepts standard base64"},
		"huge":           {strings.Repeat("A", 70000), "far longer"},
	}
	for name, tt := range tests {
		_, err := DecodeToken(tt.token)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", name, err, tt.want)
		}
		if err != nil && tt.token != "" && len(tt.token) > 8 && strings.Contains(err.Error(), tt.token) {
			t.Errorf("%s: the error quotes the token", name)
		}
	}
}

// The secret must not appear in any rendering of a Token, Credentials or
// Settings: not its base64, not its bytes.
func TestTokenNeverShowsSecret(t *testing.T) {
	raw := goodToken(t)
	tok, err := DecodeToken(raw)
	if err != nil {
		t.Fatal(err)
	}
	secretBytes, _ := base64.StdEncoding.DecodeString(testSecret)
	js, _ := json.Marshal(tok)
	s := ParseCommandLine(nil, []string{"cloudflared", "tunnel", "run", "--token", raw}, []string{"TUNNEL_TOKEN=" + raw})
	sjs, _ := json.Marshal(s)
	outputs := []string{
		fmt.Sprint(tok), fmt.Sprintf("%v|%+v|%#v|%s|%q|%x", tok, tok, tok, tok, tok, tok), string(js),
		fmt.Sprintf("%v|%+v|%#v", &tok, s, s), s.String(), string(sjs), fmt.Sprint(s.Redacted()),
	}
	for _, out := range outputs {
		for _, secret := range []string{testSecret, string(secretBytes), raw} {
			if strings.Contains(out, secret) {
				t.Fatalf("secret leaked in %q", out)
			}
		}
	}
	if !strings.Contains(fmt.Sprint(tok), testTunnelID) || !strings.Contains(string(js), testTunnelID) {
		t.Errorf("the tunnel ID should still show: %s %s", tok, js)
	}
}

func TestParseCredentials(t *testing.T) {
	good := fmt.Sprintf(`{"AccountTag":"acc","TunnelSecret":%q,"TunnelID":%q,"Endpoint":""}`, testSecret, testTunnelID)
	c, err := ParseCredentials([]byte(good))
	if err != nil || c.TunnelID != testTunnelID || c.AccountTag != "acc" || c.SecretLen != secretLen(t) {
		t.Fatalf("%+v %v", c, err)
	}
	js, _ := json.Marshal(c)
	for _, out := range []string{fmt.Sprintf("%v %+v", c, c), string(js)} {
		if strings.Contains(out, testSecret) {
			t.Errorf("secret leaked: %s", out)
		}
	}
	for doc, want := range map[string]string{
		`nope`:                                  "not JSON",
		`{"AccountTag":"a","TunnelSecret":"x"}`: "not base64",
		`{"AccountTag":"a","TunnelSecret":"` + testSecret + `"}`:                  "missing TunnelID",
		`{"AccountTag":"a","TunnelSecret":"` + testSecret + `","TunnelID":"x"}`:   "not a UUID",
		`{"TunnelSecret":"` + testSecret + `","TunnelID":"` + testTunnelID + `"}`: "missing AccountTag",
		`{"AccountTag":"a","TunnelID":"` + testTunnelID + `"}`:                    "missing TunnelSecret",
	} {
		if _, err := ParseCredentials([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", doc, err, want)
		}
	}
}

func secretLen(t *testing.T) int {
	b, err := base64.StdEncoding.DecodeString(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}
