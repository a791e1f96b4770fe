package tunnelcfg

import (
	"strings"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/textdist"
)

// suggest returns the known key a misspelled one most likely means: a
// case-insensitive match first (`noTlsVerify` -> `noTLSVerify`), then the
// closest by edit distance when it is close enough to be a typo.
func suggest(key string, known []string) string {
	lk := fold(key)
	for _, k := range known {
		if fold(k) == lk {
			return k
		}
	}
	if len(key) > 64 { // no typo is that long; keep hostile input cheap
		return ""
	}
	limit := 2
	if len(key) >= 10 {
		limit = 3
	}
	if len(key) <= 3 {
		limit = 1
	}
	// Distances above the limit are never suggested, so they need not be
	// exact: textdist stops counting past it.
	best, bestDist := "", -1
	for _, k := range known {
		d := textdist.Distance(lk, fold(k), textdist.Levenshtein, limit)
		if bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	if bestDist >= 0 && bestDist <= limit {
		return best
	}
	return ""
}

// fold lowercases and drops separators, so `no_tls_verify`, `no-tls-verify`
// and `noTlsVerify` all compare equal to `noTLSVerify`.
func fold(s string) string {
	s = strings.ToLower(s)
	if !strings.ContainsAny(s, "-_ ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '-' && c != '_' && c != ' ' {
			b.WriteByte(c)
		}
	}
	return b.String()
}
