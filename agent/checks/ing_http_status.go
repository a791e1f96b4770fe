package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingHTTPStatus: an http_status service has an invalid code.
func ingHTTPStatus() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING012",
		Title:    "An http_status service has an invalid code",
		Severity: agent.Error,
		Explain:  "`http_status:N` needs a number from 100 to 999; anything else makes cloudflared refuse the configuration (\"invalid HTTP status code\").",
		Fix:      "Use e.g. `service: http_status:404`.",
	}, tunnelcfg.KindHTTPStatusInvalid)
}
