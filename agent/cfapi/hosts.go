package cfapi

import (
	"regexp"
	"strings"

	"golang.org/x/net/idna"
)

// NormalizeHost lowers a hostname, drops a trailing dot and converts it to
// the ASCII (punycode) form DNS records use. Wildcards keep their "*.".
func NormalizeHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	prefix := ""
	if strings.HasPrefix(h, "*.") {
		prefix, h = "*.", h[2:]
	}
	if a, err := idna.Lookup.ToASCII(h); err == nil && a != "" {
		h = a
	}
	return prefix + h
}

var (
	accountIDRe = regexp.MustCompile(`^[0-9a-f]{32}$`)
	uuidRe      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// ValidAccountID reports whether s looks like an account id (32 hex digits).
// Ids go into URL paths, so anything else is refused before a call.
func ValidAccountID(s string) bool { return accountIDRe.MatchString(s) }

// ValidTunnelID reports whether s is a tunnel UUID in canonical form.
func ValidTunnelID(s string) bool { return uuidRe.MatchString(strings.ToLower(s)) }
