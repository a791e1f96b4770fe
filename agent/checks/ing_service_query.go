package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingServiceQuery: a rule's service has a query string or fragment.
func ingServiceQuery() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING024",
		Title:    "A rule's service has a query string or fragment",
		Severity: agent.Warn, // accepted by cloudflared, but what it asks for never happens
		Explain:  "cloudflared proxies to the service's scheme and host only; a query string or fragment in `service` is dropped, and requests carry the visitor's own query.",
		Fix:      "Remove the query from the service.",
	}, tunnelcfg.KindServiceQuery)
}
