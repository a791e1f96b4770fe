package cloudflared

import "github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"

// Redacted replaces every secret removed from log text (the one marker).
const Redacted = redact.Marker

// Redact removes secrets from a log line with r, the run's redactor (nil:
// by shape only: tunnel tokens, secret flags, bearer credentials...).
func Redact(s string, r *redact.Redactor) string { return r.String(s) }
