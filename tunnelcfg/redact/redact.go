// Package redact removes secrets from text before tunneldoctor prints it.
// It is the one implementation every package uses (tunnelcfg, dockernet and
// agent alike), so it imports nothing from this module: the secret flags
// come from tunnelcfg's flag table through Options.
//
// A Redactor knows a per-run set of secret values (the tunnel token and its
// decoded secret, the API token, secret-named env values of the containers
// a run inspected) and recognises secrets by shape: secret flags on command
// lines, NAME=value pairs with secret-sounding names, URL userinfo,
// Authorization and Cookie headers, bearer credentials, JWTs, tunnel tokens
// and long opaque tokens. Every secret becomes Marker.
package redact

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Marker replaces every secret in every output.
const Marker = "[REDACTED]"

// MinSecretLen keeps short values (a "1", a "true") from being registered
// as known secrets: replacing them everywhere would garble the output, not
// protect it. Shorter secrets are still caught by shape.
const MinSecretLen = 6

// maxPasses bounds the fixed-point loop in String (see there).
const maxPasses = 4

// Options are the secret names a Redactor recognises besides its built-in
// guesses. tunnelcfg.SecretFlags fills them from cloudflared's flag table.
type Options struct {
	Flags []string // flag names whose values are secret: "token", "api-key"
	Env   []string // environment variables whose values are secret: "TUNNEL_TOKEN"
}

// Redactor removes secrets from text. It is safe for concurrent use, and
// secrets can be added as a run discovers them. The zero value is not
// usable; a nil *Redactor redacts by shape only.
type Redactor struct {
	flagRe *regexp.Regexp // --name value / --name=value for the known flags
	envRe  *regexp.Regexp // NAME=value for the known env variables

	mu      sync.RWMutex
	secrets []string // longest first
}

// New returns a Redactor for the given names that knows the given secrets.
func New(o Options, secrets ...string) *Redactor {
	r := &Redactor{}
	if alt := alternation(o.Flags); alt != "" {
		r.flagRe = regexp.MustCompile(`(^|[\s"'\[(,=])(--?(?:` + alt + `))(=|\s+)("?)([^\s"'\\,]+)`)
	}
	if alt := alternation(o.Env); alt != "" {
		r.envRe = regexp.MustCompile(`\b(` + alt + `)(\\?"?\s*[=:]\s*\\?"?)([^\s"'\\,;&}]+)`)
	}
	r.Add(secrets...)
	return r
}

func alternation(names []string) string {
	var q []string
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			q = append(q, regexp.QuoteMeta(n))
		}
	}
	sort.Slice(q, func(i, j int) bool { return len(q[i]) > len(q[j]) })
	return strings.Join(q, "|")
}

// With returns a copy of r that also knows the given secrets (one
// container's environment values for its own log lines), leaving r as is.
func (r *Redactor) With(secrets ...string) *Redactor {
	c := &Redactor{}
	if r != nil {
		c.flagRe, c.envRe = r.flagRe, r.envRe
		r.mu.RLock()
		c.secrets = append(c.secrets, r.secrets...)
		r.mu.RUnlock()
	}
	c.Add(secrets...)
	return c
}

// Add registers secret values. Values shorter than MinSecretLen, and values
// a marker contains, are ignored. Each value is registered with the forms
// it takes in JSON, HTML and URLs; a tunnel token also registers its secret.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	var add []string
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if !worthKeeping(s) {
			continue
		}
		add = append(add, variants(s)...)
		if inner := tokenSecret(s); worthKeeping(inner) {
			add = append(add, variants(inner)...)
		}
	}
	if len(add) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range add {
		if worthKeeping(s) && !contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
		}
	}
	// Longest first, so a secret that contains another is replaced whole.
	sort.SliceStable(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

// AddEnv registers the values of the secret-named variables of a
// KEY=VALUE list (a container's environment).
func (r *Redactor) AddEnv(env []string) {
	for _, kv := range env {
		if name, v, ok := strings.Cut(kv, "="); ok && (SecretName(name) || r.knownEnv(name)) {
			r.Add(v)
		}
	}
}

func (r *Redactor) knownEnv(name string) bool {
	if r == nil || r.envRe == nil {
		return false
	}
	loc := r.envRe.FindStringIndex(name + "=x")
	return loc != nil && loc[0] == 0
}

func worthKeeping(s string) bool {
	if len(s) < MinSecretLen {
		return false
	}
	for _, m := range markers() {
		if strings.Contains(m, s) {
			return false
		}
	}
	return true
}

// variants are the forms a secret takes in the outputs: as is, inside a
// JSON string, in HTML text (html/template's escaping) and in a URL.
func variants(s string) []string {
	out := []string{s}
	if b, err := json.Marshal(s); err == nil && len(b) >= 2 {
		out = append(out, string(b[1:len(b)-1]))
	}
	out = append(out, htmlEscaper().Replace(s), url.QueryEscape(s), url.PathEscape(s))
	return out
}

// htmlEscaper escapes as html/template does in HTML text (the status page).
func htmlEscaper() *strings.Replacer {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "+", "&#43;")
}

// tokenSecret returns the tunnel secret ("s") inside a cloudflared tunnel
// token, "" when s is not one.
func tokenSecret(s string) string {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(s)
		if err != nil {
			continue
		}
		var t struct {
			S string `json:"s"`
		}
		if json.Unmarshal(b, &t) == nil {
			return t.S
		}
	}
	return ""
}

// String returns s with every secret replaced by Marker. Replacing can make
// a new match (a value that ran into a marker), so the rules are applied
// until nothing changes: String(String(s)) == String(s).
func (r *Redactor) String(s string) string {
	for i := 0; i < maxPasses; i++ {
		next := r.pass(s)
		if next == s {
			return s
		}
		s = next
	}
	return s
}

func (r *Redactor) pass(s string) string {
	if r != nil {
		r.mu.RLock()
		for _, secret := range r.secrets {
			s = strings.ReplaceAll(s, secret, Marker)
		}
		r.mu.RUnlock()
		if r.flagRe != nil {
			s = r.flagRe.ReplaceAllStringFunc(s, func(m string) string { return flagValue(r.flagRe, m) })
		}
		if r.envRe != nil {
			s = replaceGroup(r.envRe, s, 3)
		}
	}
	return shapes(s)
}

// Bytes is String for a byte slice.
func (r *Redactor) Bytes(b []byte) []byte { return []byte(r.String(string(b))) }

// Strings redacts every element of list into a new slice.
func (r *Redactor) Strings(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = r.String(s)
	}
	return out
}

// Args redacts a command line (argv): the value after a secret flag
// (`--token X`) as well as `--token=X` and anything String removes.
func (r *Redactor) Args(argv []string) []string {
	if argv == nil {
		return nil
	}
	out := make([]string, len(argv))
	secretNext := false
	for i, a := range argv {
		if secretNext {
			secretNext = false
			if !strings.HasPrefix(a, "-") || a == "-" {
				out[i] = Marker
				continue
			}
		}
		if strings.HasPrefix(a, "-") && !strings.Contains(a, "=") && r.secretFlag(strings.TrimLeft(a, "-")) {
			secretNext = true
		}
		if name, _, ok := strings.Cut(strings.TrimLeft(a, "-"), "="); ok && strings.HasPrefix(a, "-") && r.secretFlag(name) {
			out[i] = a[:strings.IndexByte(a, '=')+1] + Marker
			continue
		}
		out[i] = r.String(a)
	}
	return out
}

// AddArgs registers the values of the secret flags on a command line
// (`--token X`, `--token=X`), so they are redacted wherever else they show.
func (r *Redactor) AddArgs(argv []string) {
	for i, a := range argv {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, v, ok := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !r.secretFlag(name) {
			continue
		}
		if !ok && i+1 < len(argv) {
			v = argv[i+1]
		}
		r.Add(v)
	}
}

func (r *Redactor) secretFlag(name string) bool {
	if SecretFlagName(name) {
		return true
	}
	if r == nil || r.flagRe == nil {
		return false
	}
	return r.flagRe.MatchString("--" + name + "=x")
}

// Writer wraps w so that every write is redacted. zerolog writes each log
// line in one call, so a secret is never split across writes.
func (r *Redactor) Writer(w io.Writer) io.Writer { return writer{r: r, w: w} }

type writer struct {
	r *Redactor
	w io.Writer
}

func (rw writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(rw.w, rw.r.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
