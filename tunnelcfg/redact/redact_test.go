package redact

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// cloudflared's secret flags and their env variables, as tunnelcfg's
// table lists them (tunnelcfg's own test proves the two agree).
func testOptions() Options {
	return Options{
		Flags: []string{"token", "credentials-contents", "api-key", "api-ca-key", "secret-id", "access-key-id", "session-token"},
		Env:   []string{"TUNNEL_TOKEN", "TUNNEL_CRED_CONTENTS", "TUNNEL_API_KEY", "TUNNEL_API_CA_KEY", "SECRET_ID", "ACCESS_CLIENT_ID", "SESSION_TOKEN_ID"},
	}
}

func tunnelToken(secret string) string {
	s := base64.StdEncoding.EncodeToString([]byte(secret))
	b, _ := json.Marshal(map[string]string{"a": "0123456789abcdef0123456789abcdef", "t": "2b5e1d63-3a0b-4a3e-9c1d-5f7a9e0b1c2d", "s": s})
	return base64.StdEncoding.EncodeToString(b)
}

func TestRedactShapes(t *testing.T) {
	tok := tunnelToken("tunnel-secret-32-bytes-long-xxxx")
	for _, tc := range []struct {
		name, in, secret, keep string
	}{
		{"postgres url", "connecting to postgres://app:s3cr3tPw@db:5432/app", "s3cr3tPw", "postgres://app:"},
		{"https url", "GET https://admin:hunter22@host/x", "hunter22", "@host/x"},
		{"redis no user", "redis://:redisPass9@cache:6379/0", "redisPass9", "cache:6379"},
		{"cookie header", "Cookie: session=abcdef123; theme=dark", "session=abcdef123", "Cookie: "},
		{"set-cookie", `{"Set-Cookie":"sid=Zm9vYmFyYmF6; Path=/; HttpOnly"}`, "Zm9vYmFyYmF6", "Set-Cookie"},
		{"authorization", "Authorization: Basic YWRtaW46aHVudGVyMg==", "YWRtaW46aHVudGVyMg", "Authorization: "},
		{"bearer", `msg="calling api" header="Bearer abcDEF123456.xyz"`, "abcDEF123456.xyz", "calling api"},
		{"password pair", "login failed password=letmein1 user=bob", "letmein1", "user=bob"},
		{"secret json", `{"client_secret":"q9w8e7r6"}`, "q9w8e7r6", "client_secret"},
		{"token yaml", "api_token: Zx81abcd", "Zx81abcd", "api_token"},
		{"flag space", "cloudflared tunnel --api-key 0123abcdef run", "0123abcdef", "run"},
		{"flag eq", "cloudflared tunnel run --session-token=sessTok99", "sessTok99", "run"},
		{"flag secret-id", "--secret-id mysecretid1 --url http://x", "mysecretid1", "--url http://x"},
		{"access key id", "--access-key-id AKIA1234 next", "AKIA1234", "next"},
		{"env known", "ACCESS_CLIENT_ID=clientid12.access", "clientid12.access", "ACCESS_CLIENT_ID="},
		{"jwt", "cf-access-jwt-assertion eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJhbGciOiJIUzI1NiJ9", "assertion"},
		{"tunnel token", "run --token " + tok, tok, "run"},
		{"tunnel token bare", "token is " + tok + " ok", tok[10:30], " ok"},
		{"long opaque", "key Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z used", "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", " used"},
		{"long opaque with a slash", "key Ab3dEf6hIj9k/Lm2nOp5qRs8tUv1wXy4z used", "Lm2nOp5qRs8tUv1wXy4z", " used"},
		{"go map", "Settings: map[token:AbcdefG12 url:http://web:80]", "AbcdefG12", "url:http://web:80"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := New(testOptions())
			got := r.String(tc.in)
			if strings.Contains(got, tc.secret) {
				t.Errorf("secret survived: %q", got)
			}
			if !strings.Contains(got, Marker) {
				t.Errorf("no marker: %q", got)
			}
			if !strings.Contains(got, tc.keep) {
				t.Errorf("lost %q: %q", tc.keep, got)
			}
			if again := r.String(got); again != got {
				t.Errorf("not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestRedactKeepsProse(t *testing.T) {
	r := New(testOptions())
	for _, s := range []string{
		"Provided Tunnel token is not valid.",
		"origin web:8080 refused the connection",
		"image sha256:3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2",
		"--token-file /run/secrets/tunnel_token --url http://web:8080",
		"Settings: map[token:***** url:http://web:80]",
		"tunnel 2b5e1d63-3a0b-4a3e-9c1d-5f7a9e0b1c2d connected to lhr01",
		"postgres://app@db:5432/app",
		// A fix text's host path must survive whole: a CamelCase name with
		// a number is words, not a token.
		"- /tmp/TestCheckProbesTLSBodiesAndHangs31665197/001/ca.pem:/etc/cloudflared/cf-only/ca.pem:ro",
		"- /tmp/TestUnknownsAreInfo2151298101/001:/etc/cloudflared/certs:ro",
	} {
		if got := r.String(s); got != s {
			t.Errorf("changed %q to %q", s, got)
		}
	}
}

func TestRedactKnownSecrets(t *testing.T) {
	tok := tunnelToken("the-tunnel-secret-bytes-1234567")
	inner := base64.StdEncoding.EncodeToString([]byte("the-tunnel-secret-bytes-1234567"))
	r := New(testOptions(), "plainApiToken", tok)
	r.AddEnv([]string{"DB_PASSWORD=Pa55+word", "MODE=production", "SESSION_TOKEN_ID=sessionvalue"})
	for _, s := range []string{
		"error: invalid token plainApiToken (code 1000)",
		"decoded secret " + inner,
		`{"msg":"x Pa55+word"}`,
		"<td>Pa55&#43;word</td>",
		"q=Pa55%2Bword",
		"value sessionvalue here",
	} {
		got := r.String(s)
		for _, sec := range []string{"plainApiToken", inner, "Pa55", "sessionvalue"} {
			if strings.Contains(got, sec) {
				t.Errorf("%q: %q survived in %q", s, sec, got)
			}
		}
	}
	if got := r.String("MODE=production"); got != "MODE=production" {
		t.Errorf("a non-secret env value was redacted: %q", got)
	}
	// With adds for one use and leaves the original alone.
	c := r.With("containerOnlyValue")
	if strings.Contains(c.String("x containerOnlyValue"), "containerOnlyValue") || !strings.Contains(r.String("x containerOnlyValue"), "containerOnlyValue") {
		t.Error("With leaked into the parent or did not redact")
	}
}

func TestRedactArgs(t *testing.T) {
	r := New(testOptions())
	got := r.Args([]string{"cloudflared", "tunnel", "--api-key", "K3y", "--no-autoupdate", "run", "--token=T0k", "--session-token", "S3s", "--token-file", "/run/secrets/t", "--url", "http://web"})
	want := []string{"cloudflared", "tunnel", "--api-key", Marker, "--no-autoupdate", "run", "--token=" + Marker, "--session-token", Marker, "--token-file", "/run/secrets/t", "--url", "http://web"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Args:\n got %q\nwant %q", got, want)
	}
	var nilR *Redactor
	if got := nilR.String("password=abc"); got != "password="+Marker {
		t.Errorf("nil redactor: %q", got)
	}
}

func TestRedactJSON(t *testing.T) {
	r := New(testOptions(), "knownValue1")
	in := `{"token":"abc","secret_bytes":32,"token_file":"/run/t","message":"auth with knownValue1 failed","evidence":{"line":"DB_PASSWORD=hunter2 \u001b[31m","x":"` + "\u202e" + `"}}`
	got := r.JSON([]byte(in))
	if !json.Valid(got) {
		t.Fatalf("invalid JSON: %s", got)
	}
	var v map[string]any
	_ = json.Unmarshal(got, &v)
	if v["token"] != Marker || v["secret_bytes"].(float64) != 32 || v["token_file"] != "/run/t" {
		t.Errorf("keys: %s", got)
	}
	for _, bad := range []string{"abc", "knownValue1", "hunter2", "\u202e"} {
		if strings.Contains(string(got), bad) {
			t.Errorf("%q survived: %s", bad, got)
		}
	}
	if !strings.Contains(string(got), `\u202e`) {
		t.Errorf("bidi override not escaped: %s", got)
	}
}

func TestTerminal(t *testing.T) {
	for in, want := range map[string]string{
		"web\x1b[2J\x1b]0;pwned\x07":      `web\x1b[2J\x1b]0;pwned\x07`,
		"link \x1b]8;;http://evil\x1b\\x": `link \x1b]8;;http://evil\x1b\x`,
		"clip \x1b]52;c;ZXZpbA==\x07":     `clip \x1b]52;c;ZXZpbA==\x07`,
		"over\rwrite":                     `over\x0dwrite`,
		"c1 \u009b31m":                    `c1 \u009b31m`,
		"bidi \u202eexe.txt":              `bidi \u202eexe.txt`,
		"multi\nline\tok":                 "multi\nline\tok",
		"bad \xff utf8":                   `bad \xff utf8`,
		"ünïcødé ok":                      "ünïcødé ok",
	} {
		if got := Terminal(in); got != want {
			t.Errorf("Terminal(%q) = %q, want %q", in, got, want)
		}
	}
	if got := TerminalSGR("\x1b[1;31merror\x1b[0m \x1b[2J"); got != "\x1b[1;31merror\x1b[0m \\x1b[2J" {
		t.Errorf("TerminalSGR = %q", got)
	}
}
