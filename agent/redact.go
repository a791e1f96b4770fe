package agent

import (
	"regexp"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// evidenceEnv matches evidence keys that hold environment listings: their
// names are kept, their values dropped.
var evidenceEnv = regexp.MustCompile(`(?i)(^|_)env($|_)|environment`)

// envPair is NAME=value in an environment listing.
var envPair = regexp.MustCompile(`(?m)\b([A-Za-z_][A-Za-z0-9_]*)=(\S+)`)

// RedactFinding returns a copy of f safe to print: every text field goes
// through r, evidence under a secret-named key (token, password,
// authorization, cookie...) is replaced whole, and environment listings
// keep their names only. A nil r redacts by shape only.
func RedactFinding(r *redact.Redactor, f Finding) Finding {
	f.Message = r.String(f.Message)
	f.Fix = r.String(f.Fix)
	f.Service = r.String(f.Service)
	f.Hostname = r.String(f.Hostname)
	if f.Evidence != nil {
		ev := make(map[string]string, len(f.Evidence))
		for k, v := range f.Evidence {
			switch {
			case secretEvidenceKey(k) && v != "" && !strings.Contains(v, redact.Marker):
				v = redact.Marker
			case evidenceEnv.MatchString(k):
				v = envPair.ReplaceAllString(v, "${1}="+redact.Marker)
			}
			ev[r.String(k)] = r.String(v)
		}
		f.Evidence = ev
	}
	return f
}

// RedactFindings is RedactFinding for a list, into a new slice.
func RedactFindings(r *redact.Redactor, fs []Finding) []Finding {
	if fs == nil {
		return nil
	}
	out := make([]Finding, len(fs))
	for i, f := range fs {
		out[i] = RedactFinding(r, f)
	}
	return out
}

// secretEvidenceKey: a key that says secret, but not one that names where
// a secret is (token_file) or describes it (secret_bytes, token_source).
func secretEvidenceKey(k string) bool {
	lk := strings.ToLower(k)
	for _, s := range []string{"file", "path", "source", "bytes", "len", "kind", "status"} {
		if strings.HasSuffix(lk, s) {
			return false
		}
	}
	return redact.SecretName(k)
}

// SnapshotSecrets returns the secret values a run discovered: the values of
// secret-named environment variables (TUNNEL_TOKEN, DB_PASSWORD...) of
// every container it inspected. Outputs register them with their redactor,
// so they are replaced even where no pattern would recognise them.
func SnapshotSecrets(s *Snapshot) []string {
	if s == nil || s.Docker.Topology == nil {
		return nil
	}
	var out []string
	for _, c := range s.Docker.Topology.Containers {
		for _, kv := range c.RawEnv() {
			if name, value, ok := strings.Cut(kv, "="); ok && redact.SecretName(name) {
				out = append(out, value)
			}
		}
	}
	return out
}
