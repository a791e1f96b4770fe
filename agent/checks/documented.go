package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// Documented lists every finding code tunneldoctor can report: the checks of
// All() and the runner's own codes. `explain` and the docs table use it.
func Documented() []agent.Check {
	return append(All(), checkPanicked)
}
