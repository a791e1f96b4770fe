package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// ingressChecks lists the checks of the ingress hop(s), in report order.
func ingressChecks() []agent.Check {
	return []agent.Check{}
}
