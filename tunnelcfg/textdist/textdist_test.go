package textdist

import (
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b        string
		levenshtein int
		swaps       int
	}{
		{"web", "web", 0, 0},
		{"wbe", "web", 2, 1},
		{"grafna", "grafana", 1, 1},
		{"api", "apj", 1, 1},
		{"kitten", "sitting", 3, 3},
		{"", "abc", 3, 3},
		{"abc", "", 3, 3},
		{"notlsverify", "notlsverify", 0, 0},
		{"notlsvreify", "notlsverify", 2, 1},
		{"ca", "abc", 3, 3},                  // optimal string alignment: no edit after a swap
		{"nötlsverify", "notlsverify", 1, 1}, // counted in runes, not bytes
		{"grüße", "gruesse", 4, 4},
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b, Levenshtein, -1); got != c.levenshtein {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", c.a, c.b, got, c.levenshtein)
		}
		if got := Distance(c.a, c.b, Swaps, -1); got != c.swaps {
			t.Errorf("Swaps(%q, %q) = %d, want %d", c.a, c.b, got, c.swaps)
		}
		if got := Distance(c.b, c.a, Swaps, 10); got != c.swaps {
			t.Errorf("Swaps(%q, %q) = %d, want %d (symmetric)", c.b, c.a, got, c.swaps)
		}
		// Below the limit the exact distance, above it some larger value.
		for limit := 0; limit <= 4; limit++ {
			got := Distance(c.a, c.b, Swaps, limit)
			if c.swaps <= limit && got != c.swaps || c.swaps > limit && got <= limit {
				t.Errorf("Swaps(%q, %q) with limit %d = %d, distance %d", c.a, c.b, limit, got, c.swaps)
			}
		}
	}
}

func TestDistanceTooLong(t *testing.T) {
	long := strings.Repeat("a", MaxLen+1)
	if got := Distance(long, long, Swaps, -1); got != MaxLen+1 {
		t.Errorf("over MaxLen runes: %d, want %d (never close)", got, MaxLen+1)
	}
	exact := strings.Repeat("é", MaxLen) // 128 bytes, 64 runes: still measured
	if got := Distance(exact, exact, Levenshtein, -1); got != 0 {
		t.Errorf("MaxLen runes: %d", got)
	}
	if got := Distance(exact, "", Levenshtein, -1); got != MaxLen {
		t.Errorf("MaxLen runes to empty: %d", got)
	}
}

func TestDistanceDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { Distance("p01-svc001-1", "p01_svc01_1", Swaps, 3) }); n != 0 {
		t.Errorf("%v allocations per call", n)
	}
}
