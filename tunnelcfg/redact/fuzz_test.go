package redact

import (
	"strings"
	"testing"
)

// secretShapes are the places a secret is planted; %s is the secret.
// "known" ones are registered with Add, the others must be caught by shape.
func secretShapes() []struct {
	tmpl  string
	known bool
} {
	return []struct {
		tmpl  string
		known bool
	}{
		{"postgres://user:%s@db:5432/app", false},
		{"https://admin:%s@host/path", false},
		{"redis://:%s@cache:6379", false},
		{"amqp://guest:%s@rabbit", false},
		{"Cookie: sid=%s; theme=dark", false},
		{"Set-Cookie: sid=%s; Path=/; HttpOnly", false},
		{`{"cookie":"sid=%s"}`, false},
		{"Authorization: Bearer %s", false},
		{"Authorization: Basic %s", false},
		{`"authorization":"Token %s"`, false},
		{"sent bearer %s upstream", false},
		{"password=%s", false},
		{"db_password: %s", false},
		{`{"client_secret":"%s"}`, false},
		{"?api_key=%s&x=1", false},
		{"TUNNEL_TOKEN=%s", false},
		{"SESSION_TOKEN_ID=%s", false},
		{"ACCESS_CLIENT_ID=%s", false},
		{"--token %s", false},
		{"--token=%s", false},
		{"--api-key %s", false},
		{"--api-ca-key=%s", false},
		{"--session-token %s", false},
		{"--secret-id=%s", false},
		{"--access-key-id %s", false},
		{"--credentials-contents %s", false},
		{"map[token:%s url:x]", false},
		{"invalid API token %s (code 1000)", true},
		{"%s", true},
		{"x%sx", true},
	}
}

// FuzzRedact plants a secret in every shape, inside arbitrary text: the
// secret never survives, and redacting twice changes nothing.
func FuzzRedact(f *testing.F) {
	for i := range secretShapes() {
		f.Add(i, "Zq8mW2pLx7", "request from 10.0.0.2", "done")
	}
	f.Add(0, "Pa55word123", "", "")
	f.Add(5, "abcdefgh", "\x1b[31m", "\"")
	f.Add(7, "eyJhbGciOiJIUzI1NiJ9", "GET / HTTP/1.1\r\n", "\r\nHost: x")
	f.Add(18, "abcdef12345678", "cloudflared tunnel", "run")
	f.Add(27, "REDACTEDxx12", "[REDACTED]", "*****")
	f.Add(3, "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF", "[", "]")
	f.Fuzz(func(t *testing.T, shape int, raw, prefix, suffix string) {
		shapes := secretShapes()
		if shape < 0 {
			shape = -shape
		}
		sh := shapes[shape%len(shapes)]
		secret := alnum(raw) + "7" // secrets have a digit; "token: Cloudflare" is prose
		if len(secret) < 8 {
			return
		}
		planted := strings.Replace(sh.tmpl, "%s", secret, 1)
		if strings.Contains(prefix+sh.tmpl+suffix, secret) || strings.Contains(Marker, secret) {
			return // the secret is also ordinary text here
		}
		in := prefix + " " + planted + " " + suffix
		r := New(testOptions())
		if sh.known {
			r.Add(secret)
		}
		out := r.String(in)
		if strings.Contains(out, secret) {
			t.Fatalf("secret %q survived in %q (input %q)", secret, out, in)
		}
		if again := r.String(out); again != out {
			t.Fatalf("not idempotent:\n once %q\ntwice %q", out, again)
		}
		if again := r.String(prefix); r.String(again) != again {
			t.Fatalf("not idempotent on %q", prefix)
		}
		js := r.JSON([]byte(`{"line":"` + strings.ReplaceAll(planted, `"`, `\"`) + `"}`))
		if strings.Contains(string(js), secret) {
			t.Fatalf("secret survived in JSON %s", js)
		}
		if term := Terminal(out); strings.ContainsAny(term, "\x1b\r\x07\u009b\u202e") {
			t.Fatalf("control survived Terminal: %q", term)
		}
	})
}

// alnum keeps letters and digits, so the planted secret is one word.
func alnum(s string) string {
	return strings.Map(func(c rune) rune {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			return c
		}
		return -1
	}, s)
}
