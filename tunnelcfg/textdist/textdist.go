// Package textdist measures how many edits apart two short strings are, for
// "did you mean" suggestions: misspelt config keys in tunnelcfg, mistyped
// container names in dockernet.
//
// It is a leaf package: it imports nothing from this module. tunnelcfg and
// dockernet must not import each other (cmd -> agent/* -> agent ->
// tunnelcfg, dockernet); both may import this one, which holds no
// cloudflared or Docker knowledge.
package textdist

import "unicode/utf8"

// MaxLen is the longest string, in runes, that Distance measures. Nothing
// that long is a typo of anything, and the bound keeps the work (and the
// rows, which live on the stack) small.
const MaxLen = 64

// Edits says which single edits Distance counts.
type Edits int

const (
	// Levenshtein counts inserting, deleting or replacing one character.
	Levenshtein Edits = iota
	// Swaps also counts swapping two neighbours as one edit ("wbe" is one
	// edit from "web"): the optimal string alignment distance.
	Swaps
)

// Distance returns the edit distance between a and b, counted in runes.
// When it exceeds limit, Distance may stop early and return any value above
// limit; a negative limit never stops early. A string longer than MaxLen
// runes is never close: Distance returns the longer length.
// It does not allocate.
func Distance(a, b string, edits Edits, limit int) int {
	la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	if la > MaxLen || lb > MaxLen {
		return max(la, lb)
	}
	if limit < 0 {
		limit = MaxLen
	}
	var ra, rb [MaxLen]rune
	fill(ra[:la], a)
	fill(rb[:lb], b)
	x, y := ra[:la], rb[:lb]
	// Distances never exceed MaxLen: bytes keep the three rows small.
	var rows [3][MaxLen + 1]uint8
	prev2, prev, cur := rows[0][:lb+1], rows[1][:lb+1], rows[2][:lb+1]
	for j := range prev {
		prev[j] = uint8(j)
	}
	lastMin := 0
	for i := 1; i <= la; i++ {
		cur[0] = uint8(i)
		rowMin := i
		for j := 1; j <= lb; j++ {
			cost := uint8(1)
			if x[i-1] == y[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if edits == Swaps && i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, int(v))
		}
		// Every alignment crosses row i or (by a swap) row i-1: when both
		// are past the limit, the distance is too.
		if rowMin > limit && lastMin > limit {
			return rowMin
		}
		lastMin = rowMin
		prev2, prev, cur = prev, cur, prev2
	}
	return int(prev[lb])
}

// fill decodes s into dst, which holds exactly its runes.
func fill(dst []rune, s string) {
	i := 0
	for _, r := range s {
		dst[i] = r
		i++
	}
}
