package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// edgeChecks lists the checks of the edge hop(s), in report order.
func edgeChecks() []agent.Check {
	return []agent.Check{}
}
