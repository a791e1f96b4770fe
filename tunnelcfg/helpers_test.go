package tunnelcfg

import (
	"strings"
	"testing"
)

// check parses inline YAML and validates it, failing on load problems
// unless the test expects them.
func check(t *testing.T, yml string) (*Config, []Problem) {
	t.Helper()
	c, ps := Parse([]byte(strings.TrimLeft(yml, "\n")), "inline.yml")
	if c == nil {
		t.Fatal("Parse returned a nil Config")
	}
	return c, append(ps, Validate(c)...)
}

func kindsOf(ps []Problem) []Kind {
	var ks []Kind
	for _, p := range ps {
		ks = append(ks, p.Kind)
	}
	return ks
}

func find(ps []Problem, k Kind) (Problem, bool) {
	for _, p := range ps {
		if p.Kind == k {
			return p, true
		}
	}
	return Problem{}, false
}

func hasKind(ps []Problem, k Kind) bool {
	_, ok := find(ps, k)
	return ok
}
