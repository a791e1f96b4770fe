package tunnelcfg

import "strings"

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
	best, bestDist := "", -1
	for _, k := range known {
		d := editDistance(lk, fold(k))
		if bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	limit := 2
	if len(key) >= 10 {
		limit = 3
	}
	if len(key) <= 3 {
		limit = 1
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
	return strings.NewReplacer("-", "", "_", "", " ", "").Replace(s)
}

// editDistance is the Levenshtein distance, two rows of memory.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
