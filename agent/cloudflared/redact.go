package cloudflared

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
)

// Redacted replaces every secret removed from log text.
const Redacted = "[REDACTED]"

var (
	// tokenFlag catches `--token X` and `--token=X` on an echoed command line.
	tokenFlag = regexp.MustCompile(`(--?(?:token|credentials-contents)(?:\s+|=))([^\s"']{8,})`)
	// tokenAssignment catches `token=X`, `TUNNEL_TOKEN=X`, `"TunnelSecret":"X"`,
	// `token:X` (cloudflared's own "Settings: map[token:*****]" is already masked).
	tokenAssignment = regexp.MustCompile(`(?i)((?:^|[\s\[{"'])(?:tunnel_)?(?:token|secret|tunnelsecret|api[_-]?token)["']?\s*[=:]\s*["']?)([^\s"'\]},]{8,})`)
	// base64Run is a candidate tunnel token: base64 of JSON {"a":..,"t":..,"s":..}.
	base64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{40,}={0,2}`)
	// bearer catches HTTP authorization headers in debug request logs.
	bearer = regexp.MustCompile(`(?i)(bearer\s+)[A-Za-z0-9._~+/-]{8,}=*`)
)

// Redact removes tunnel tokens, secrets and the given exact strings from a
// log line. A tunnel token is recognised by what it decodes to, so a token
// appearing anywhere (an echoed command line, an env dump) is caught.
func Redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, Redacted)
		}
	}
	s = base64Run.ReplaceAllStringFunc(s, func(m string) string {
		if looksLikeToken(m) {
			return Redacted
		}
		return m
	})
	for _, re := range []*regexp.Regexp{tokenFlag, tokenAssignment} {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			sub := re.FindStringSubmatch(m)
			if sub[2] == "*****" || sub[2] == Redacted {
				return m
			}
			return sub[1] + Redacted
		})
	}
	return bearer.ReplaceAllString(s, "${1}"+Redacted)
}

// looksLikeToken reports whether s decodes to cloudflared's token JSON.
func looksLikeToken(s string) bool {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		var t map[string]json.RawMessage
		if json.Unmarshal(b, &t) == nil {
			_, hasS := t["s"]
			_, hasT := t["t"]
			_, hasSecret := t["TunnelSecret"]
			return (hasS && hasT) || hasSecret
		}
	}
	return false
}
