package dockernet

import (
	"regexp"
	"sort"
	"strings"
)

// Environment variables whose values are not secrets and are too common to
// scrub from text (scrubbing "/usr/bin" everywhere helps nobody).
var benignEnv = map[string]bool{
	"PATH": true, "HOME": true, "HOSTNAME": true, "LANG": true, "LC_ALL": true, "TZ": true,
	"PWD": true, "TERM": true, "SHLVL": true, "USER": true, "container": true,
}

// Secret-looking text: key=value pairs with a secret-sounding key, JWTs and
// cloudflared tokens (base64 JSON starting "eyJ"), and long opaque strings.
var (
	secretPair  = regexp.MustCompile(`(?i)((?:token|secret|passw(?:or)?d|api[_-]?key|auth(?:orization)?|credentials?)[A-Za-z0-9_-]*["']?\s*[=:]\s*["']?(?:bearer\s+)?)[^\s"',;&]+`)
	jwtLike     = regexp.MustCompile(`eyJ[A-Za-z0-9_=+/-]{16,}(?:\.[A-Za-z0-9_=+/-]+)*`)
	opaqueToken = regexp.MustCompile(`[A-Za-z0-9+/_-]{40,}={0,2}`)
)

// Redact removes secrets from lines quoted out of a container's logs: the
// values of its environment variables (when c was inspected) and anything
// that looks like a token or password. It returns a new slice.
func Redact(lines []string, c *Container) []string {
	var values []string
	if c != nil {
		for _, kv := range c.rawEnv {
			name, v, _ := strings.Cut(kv, "=")
			if benignEnv[name] || len(v) < 4 {
				continue
			}
			values = append(values, v)
		}
	}
	// Longest first, so a value that contains another is replaced whole.
	sort.Slice(values, func(i, j int) bool { return len(values[i]) > len(values[j]) })
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = RedactText(l, values...)
	}
	return out
}

// RedactText removes the given secret values and token-like strings from s.
func RedactText(s string, values ...string) string {
	for _, v := range values {
		if v != "" {
			s = strings.ReplaceAll(s, v, RedactedValue)
		}
	}
	s = secretPair.ReplaceAllString(s, "${1}"+RedactedValue)
	s = jwtLike.ReplaceAllString(s, RedactedValue)
	return opaqueToken.ReplaceAllStringFunc(s, func(m string) string {
		// Hex digests (image IDs, hashes) are not secrets; keep them.
		if strings.Trim(strings.ToLower(m), "0123456789abcdef") == "" {
			return m
		}
		return RedactedValue
	})
}
