package tunnelcfg

// Kind names a class of configuration problem. The strings are stable: the
// checks in agent/checks map each kind to one finding code.
type Kind string

// Problem is one thing wrong with a configuration. Validation reports every
// problem at once, unlike cloudflared, which stops at the first.
type Problem struct {
	Kind  Kind   `json:"kind"`
	Rule  int    `json:"rule"`            // 0-based rule index, -1 when not about one rule
	Field string `json:"field,omitempty"` // "hostname", "path", "service", "originRequest.caPool", a top-level key...
	Line  int    `json:"line,omitempty"`  // 1-based YAML line, 0 when unknown (JSON sources)
	// Fatal is true exactly when cloudflared refuses the configuration for
	// this reason; everything else is a warning cloudflared does not give.
	Fatal   bool   `json:"fatal"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
	// Related lists other rule indexes involved: the rules a catch-all hides,
	// the earlier rule that shadows this one, the duplicate's twin.
	Related []int `json:"related,omitempty"`
}

// Valid reports whether cloudflared would accept a configuration with these
// problems: true when none of them is fatal.
func Valid(problems []Problem) bool {
	for _, p := range problems {
		if p.Fatal {
			return false
		}
	}
	return true
}
