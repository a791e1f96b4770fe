package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// networkChecks lists the checks of the network hop(s), in report order.
func networkChecks() []agent.Check {
	return []agent.Check{}
}
