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
	s = redactTokenRuns(s)
	// The regular expressions are the slow part: run them only on lines
	// that name a secret at all.
	lower := strings.ToLower(s)
	if strings.Contains(lower, "token") || strings.Contains(lower, "secret") || strings.Contains(lower, "credentials-contents") {
		for _, re := range []*regexp.Regexp{tokenFlag, tokenAssignment} {
			s = re.ReplaceAllStringFunc(s, func(m string) string {
				sub := re.FindStringSubmatch(m)
				if sub[2] == "*****" || sub[2] == Redacted {
					return m
				}
				return sub[1] + Redacted
			})
		}
	}
	if strings.Contains(lower, "bearer") {
		s = bearer.ReplaceAllString(s, "${1}"+Redacted)
	}
	return s
}

// minTokenRun is the shortest base64 run that can hold a tunnel token.
const minTokenRun = 40

// redactTokenRuns replaces every run of base64 characters (40 or more, with
// optional padding) that decodes like a tunnel token.
func redactTokenRuns(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isBase64Byte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isBase64Byte(s[j]) {
			j++
		}
		for k := 0; k < 2 && j < len(s) && s[j] == '='; k++ {
			j++
		}
		if j-i >= minTokenRun && looksLikeToken(s[i:j]) {
			b.WriteString(s[last:i])
			b.WriteString(Redacted)
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isBase64Byte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '_' || c == '-'
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
