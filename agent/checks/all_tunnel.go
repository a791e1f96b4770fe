package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// tunnelChecks lists the checks of the tunnel hop(s), in report order.
func tunnelChecks() []agent.Check {
	return []agent.Check{}
}
