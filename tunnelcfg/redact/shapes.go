package redact

import (
	"regexp"
	"strings"
)

// markers are the placeholders this and other tools print for a removed
// secret (cloudflared's own "Settings: map[token:*****]"); a value that is
// one is left alone.
func markers() []string {
	return []string{Marker, "*****", "[redacted]", "<redacted>", "REDACTED"}
}

func isMarker(v string) bool {
	v = strings.TrimRight(strings.Trim(v, `"'`), "])}")
	for _, m := range markers() {
		if v == strings.TrimRight(m, "]") {
			return true
		}
	}
	for _, m := range markers() {
		if v == m {
			return true
		}
	}
	return false
}

// shapeRules are the secret shapes recognised in any text. Compiled once,
// never changed after.
type shapeRules struct {
	url, header, bearer, basic, assign, flag, jwt, long *regexp.Regexp
	// camel is a name made of words and a number (a test's temporary
	// directory, TestUnknownsAreInfo2151298101): never a token.
	camel *regexp.Regexp
}

var rules = shapeRules{
	// scheme://user:password@host (redis://:password@host too).
	url: regexp.MustCompile(`(\b[a-zA-Z][a-zA-Z0-9+.-]*://)([^\s/?#@:"'\\<>]*):([^\s/?#@"'\\<>]+)@`),
	// Authorization: ..., Cookie: ..., Set-Cookie: ... in header dumps,
	// JSON objects ("cookie":"...") and Go maps (Cookie:[...]): the whole
	// value, to the end of the line or the string.
	header: regexp.MustCompile(`(?i)\b((?:proxy-)?authorization|set-cookie|cookie|x-api-key|x-auth-token|x-auth-key|cf-access-client-secret|cf-access-token|cf-authorization)(\\?["']?\s*[:=]\s*\\?["']?)([^"\\\r\n]+)`),
	// Bearer credentials anywhere.
	bearer: regexp.MustCompile(`(?i)\b(bearer\s+)([A-Za-z0-9._~+/=-]{6,})`),
	// Basic credentials: base64 of user:password.
	basic: regexp.MustCompile(`\b(Basic\s+)([A-Za-z0-9+/]{6,}={0,2})`),
	// NAME=value, NAME: value, "NAME":"value" where the name says secret.
	assign: regexp.MustCompile(`(?i)\b([A-Za-z0-9_.-]*(?:token|secret|passw(?:or)?d|pwd|api[_-]?key|private[_-]?key|access[_-]?key|credentials?)[A-Za-z0-9_.-]*)(\\?["']?\s*(?:=|:)\s*\\?["']?)([^\s"'\\,;&}<>)]+)`),
	// --name value / --name=value where the flag name says secret.
	flag: regexp.MustCompile(`(^|[\s"'\[(,=])(--?[a-z0-9-]*(?:token|secret|password|passwd|api-key|apikey|credentials-contents|access-key)[a-z0-9-]*)(=|\s+)("?)([^\s"'\\,]+)`),
	// JWTs and cloudflared tunnel tokens: base64 of a JSON object, "eyJ".
	jwt: regexp.MustCompile(`eyJ[A-Za-z0-9+/_=-]{10,}(?:\.[A-Za-z0-9+/_=-]+)*`),
	// Long opaque tokens (API tokens, keys); see opaque.
	long:  regexp.MustCompile(`[A-Za-z0-9+/_-]{32,}={0,2}`),
	camel: regexp.MustCompile(`^[a-z]*(?:[A-Z][a-z]+|[A-Z]{2,})+[0-9]*$`),
}

// shapes applies the built-in rules.
func shapes(s string) string {
	if s == "" {
		return s
	}
	lower := strings.ToLower(s)
	if strings.Contains(s, "://") {
		s = rules.url.ReplaceAllStringFunc(s, func(m string) string {
			sub := rules.url.FindStringSubmatch(m)
			if isMarker(sub[3]) {
				return m
			}
			return sub[1] + sub[2] + ":" + Marker + "@"
		})
	}
	if strings.Contains(lower, "auth") || strings.Contains(lower, "cookie") || strings.Contains(lower, "-key") || strings.Contains(lower, "cf-access") {
		s = replaceGroup(rules.header, s, 3)
	}
	if strings.Contains(lower, "bearer") {
		s = replaceGroup(rules.bearer, s, 2)
	}
	if strings.Contains(s, "Basic") {
		s = replaceGroup(rules.basic, s, 2)
	}
	if strings.Contains(s, "-") {
		s = rules.flag.ReplaceAllStringFunc(s, func(m string) string { return flagValue(rules.flag, m) })
	}
	s = rules.assign.ReplaceAllStringFunc(s, assignValue)
	if strings.Contains(s, "eyJ") {
		s = rules.jwt.ReplaceAllString(s, Marker)
	}
	return rules.long.ReplaceAllStringFunc(s, func(m string) string {
		if opaqueParts(m) {
			return Marker
		}
		return m
	})
}

// replaceGroup replaces submatch n (the value) of every match with Marker,
// keeping what precedes it. Values that are already markers stay.
func replaceGroup(re *regexp.Regexp, s string, n int) string {
	return re.ReplaceAllStringFunc(s, func(m string) string {
		sub := re.FindStringSubmatchIndex(m)
		if sub == nil || sub[2*n] < 0 {
			return m
		}
		v := m[sub[2*n]:sub[2*n+1]]
		if isMarker(v) {
			return m
		}
		return m[:sub[2*n]] + Marker + m[sub[2*n+1]:]
	})
}

// assignValue redacts the value of one NAME=value match. After a bare
// colon ("no API token: Cloudflare checks skipped") a plain word is prose,
// not a secret: only values with a digit or a symbol go.
func assignValue(m string) string {
	sub := rules.assign.FindStringSubmatchIndex(m)
	sep, v := m[sub[4]:sub[5]], m[sub[6]:sub[7]]
	if isMarker(v) {
		return m
	}
	if strings.TrimSpace(sep) == ":" && strings.IndexFunc(v, func(c rune) bool { return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') }) < 0 {
		return m
	}
	return m[:sub[6]] + Marker + m[sub[7]:]
}

// flagValue redacts the value of one --flag match (groups: lead, flag,
// separator, quote, value). A following flag is not a value, and a
// *-file/-path flag names where a secret is, not the secret.
func flagValue(re *regexp.Regexp, m string) string {
	sub := re.FindStringSubmatch(m)
	name, sep, value := strings.TrimLeft(sub[2], "-"), sub[3], sub[5]
	if isMarker(value) || strings.HasSuffix(name, "-file") || strings.HasSuffix(name, "-path") || strings.HasSuffix(name, "-dir") {
		return m
	}
	if sep != "=" && strings.HasPrefix(value, "-") {
		return m
	}
	return sub[1] + sub[2] + sep + sub[4] + Marker
}

// opaqueParts judges a long match that may be a path: base64 tokens hold
// "/" too, so each "/"-separated part long enough to be a token is judged
// on its own, and one opaque part makes the whole match a secret.
func opaqueParts(m string) bool {
	if !strings.Contains(m, "/") {
		return opaque(m)
	}
	for _, part := range strings.Split(m, "/") {
		if len(part) >= 16 && opaque(part) {
			return true
		}
	}
	return false
}

// opaque tells a random token from a long word, path or digest: it mixes
// upper case, lower case and digits, is not hexadecimal, and is not made of
// words (a CamelCase name with a number, like a test's temporary directory
// TestProbesTLSBodies31665197, has long runs of lower-case letters; a
// random token rarely does).
func opaque(s string) bool {
	var upper, lower, digit bool
	hex := true
	run, wordy := 0, 0
	for _, c := range s {
		if c >= 'a' && c <= 'z' {
			run++
		} else {
			if run >= 3 {
				wordy += run
			}
			run = 0
		}
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
			hex = hex && c <= 'F'
		case c >= 'a' && c <= 'z':
			lower = true
			hex = hex && c <= 'f'
		case c >= '0' && c <= '9':
			digit = true
		case c == '-':
		default:
			hex = false
		}
	}
	if run >= 3 {
		wordy += run
	}
	return upper && lower && digit && !hex && wordy*2 < len(s) && !rules.camel.MatchString(s)
}

// SecretName guesses whether a variable or setting name holds a secret:
// anything that says token, secret, password, key or credentials.
func SecretName(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"token", "secret", "passw", "pwd", "api_key", "apikey", "api-key", "private_key", "access_key", "credential", "auth", "cookie"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// SecretFlagName guesses whether a flag not in a known table takes a
// secret value (*-file and *-path flags name where one is, and are not).
func SecretFlagName(name string) bool {
	n := strings.ToLower(strings.TrimLeft(name, "-"))
	if strings.HasSuffix(n, "-file") || strings.HasSuffix(n, "-path") || strings.HasSuffix(n, "-dir") {
		return false
	}
	for _, w := range []string{"token", "secret", "password", "passwd", "api-key", "apikey", "credentials-contents", "access-key"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
