package report

import (
	"regexp"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// Redacted replaces a secret wherever a report would show it.
const Redacted = "[REDACTED]"

// tokenLike matches base64 JSON objects ("eyJ..."): cloudflared tunnel tokens
// and JWTs. Collectors redact what they know to be secret; this is the last
// line of defence for a value that slipped into a message or evidence.
var tokenLike = regexp.MustCompile(`eyJ[A-Za-z0-9_\-+/]{16,}={0,2}(\.[A-Za-z0-9_\-+/=]+)*`)

// secretKeyWords mark evidence keys whose values are secrets whatever they
// look like (an API token has no recognisable shape).
var secretKeyWords = []string{"token", "secret", "password", "passwd", "credential", "authorization", "api_key", "apikey"}

// RedactFinding returns a copy of f safe to print: token-shaped strings are
// replaced in every text field, and evidence values under secret-looking
// keys are replaced whole. Evidence that is already redacted stays as it is.
func RedactFinding(f agent.Finding) agent.Finding {
	f.Message = RedactText(f.Message)
	f.Fix = RedactText(f.Fix)
	f.Service = RedactText(f.Service)
	f.Hostname = RedactText(f.Hostname)
	if f.Evidence != nil {
		ev := make(map[string]string, len(f.Evidence))
		for k, v := range f.Evidence {
			if secretKey(k) && v != "" && !strings.Contains(v, Redacted) {
				v = Redacted
			}
			ev[k] = RedactText(v)
		}
		f.Evidence = ev
	}
	return f
}

// RedactText replaces token-shaped substrings of s.
func RedactText(s string) string {
	if !strings.Contains(s, "eyJ") {
		return s
	}
	return tokenLike.ReplaceAllString(s, Redacted)
}

func secretKey(k string) bool {
	k = strings.ToLower(k)
	for _, w := range secretKeyWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

func redactAll(fs []agent.Finding) []agent.Finding {
	out := make([]agent.Finding, len(fs))
	for i, f := range fs {
		out[i] = RedactFinding(f)
	}
	return out
}
