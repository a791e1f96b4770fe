// Package checks holds every judgement tunneldoctor makes. Each check lives
// in its own file with its code, title, explanation and fix beside its logic.
package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// All lists every check, in report order: request path from the visitor in.
func All() []agent.Check {
	var all []agent.Check
	for _, group := range [][]agent.Check{
		edgeChecks(),
		tunnelChecks(),
		ingressChecks(),
		networkChecks(),
		protocolChecks(),
	} {
		all = append(all, group...)
	}
	return all
}

// ByCode finds a check by its code.
func ByCode(code string) (agent.Check, bool) {
	for _, c := range All() {
		if c.Code == code {
			return c, true
		}
	}
	return agent.Check{}, false
}
