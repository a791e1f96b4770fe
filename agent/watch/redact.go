package watch

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// Redacted replaces every secret the sidecar would otherwise print.
const Redacted = "[REDACTED]"

// minSecretLen keeps short values (a "1", a "true") from being registered as
// secrets: replacing them everywhere would garble the logs, not protect them.
const minSecretLen = 6

// A cloudflared tunnel token is base64 of {"a":...}: it always starts "eyJ".
// JWTs (Access tokens) start the same way.
var (
	tokenLike  = regexp.MustCompile(`eyJ[A-Za-z0-9+/_=-]{20,}(?:\.[A-Za-z0-9+/_=-]+)*`)
	bearerLike = regexp.MustCompile(`(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}`)
	// NAME=value, "NAME":"value" and NAME:value where the name says secret
	// (values of 8+ characters; "token: missing" in a sentence is prose).
	secretAssign = regexp.MustCompile(`(?i)\b([A-Z0-9_.-]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY)[A-Z0-9_.-]*)(\\?"?\s*=\s*\\?"?|\\?"\s*:\s*\\?"|:)([^\s"'\\,;&}<>]{8,})`)
	// Evidence keys whose whole value is a secret.
	secretKey = regexp.MustCompile(`(?i)token|secret|password|passwd|api_?key|authorization|cookie`)
	// Evidence keys that hold environment listings: keep names, drop values.
	envKey    = regexp.MustCompile(`(?i)(^|_)env($|_)|environment`)
	envAssign = regexp.MustCompile(`(?m)\b([A-Za-z_][A-Za-z0-9_]*)=(\S+)`)
)

// Redactor removes secrets from everything the sidecar writes: values it was
// told about (the API token, a tunnel token found at run time) and anything
// that looks like a token, a bearer credential or a NAME_TOKEN=value pair.
// It is safe for concurrent use; secrets can be added as runs discover them.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// NewRedactor returns a Redactor that knows the given secrets.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add registers more secret values. Values shorter than six characters are
// ignored (see minSecretLen).
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if len(s) < minSecretLen || contains(r.secrets, s) {
			continue
		}
		r.secrets = append(r.secrets, s)
		if esc := jsonEscaped(s); esc != s {
			r.secrets = append(r.secrets, esc)
		}
	}
	// Longest first, so a secret that contains another is replaced whole.
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// String returns s with every secret replaced by Redacted.
func (r *Redactor) String(s string) string {
	r.mu.RLock()
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, Redacted)
	}
	r.mu.RUnlock()
	s = tokenLike.ReplaceAllString(s, Redacted)
	s = bearerLike.ReplaceAllString(s, "${1}"+Redacted)
	return secretAssign.ReplaceAllString(s, "${1}${2}"+Redacted)
}

// Finding returns a copy of f safe to print: text fields redacted, evidence
// values under secret-sounding keys dropped, env listings reduced to names.
func (r *Redactor) Finding(f agent.Finding) agent.Finding {
	f.Message = r.String(f.Message)
	f.Fix = r.String(f.Fix)
	f.Service = r.String(f.Service)
	if f.Evidence != nil {
		ev := make(map[string]string, len(f.Evidence))
		for k, v := range f.Evidence {
			switch {
			case secretKey.MatchString(k):
				v = Redacted
			case envKey.MatchString(k):
				v = envAssign.ReplaceAllString(v, "${1}="+Redacted)
			}
			ev[k] = r.String(v)
		}
		f.Evidence = ev
	}
	return f
}

// Writer wraps w so that every write is redacted. zerolog writes each log
// line in one call, so a secret is never split across writes.
func (r *Redactor) Writer(w io.Writer) io.Writer { return redactingWriter{r: r, w: w} }

type redactingWriter struct {
	r *Redactor
	w io.Writer
}

func (rw redactingWriter) Write(p []byte) (int, error) {
	clean := rw.r.String(string(p))
	if _, err := io.Copy(rw.w, bytes.NewBufferString(clean)); err != nil {
		return 0, err
	}
	return len(p), nil
}

func jsonEscaped(s string) string {
	b, err := json.Marshal(s)
	if err != nil || len(b) < 2 {
		return s
	}
	return string(b[1 : len(b)-1])
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
