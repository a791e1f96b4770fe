package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingServiceInvalid: a rule's service is not a valid origin.
func ingServiceInvalid() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING010",
		Title:    "A rule's service is not a valid origin",
		Severity: agent.Error,
		Explain:  "cloudflared needs each service as scheme://host[:port] (or unix:, http_status:N, hello_world, bastion, socks-proxy). `localhost:8080` without a scheme, a missing service, or an unparsable URL make it refuse the configuration.",
		Fix:      "Write the service with its scheme: `service: http://app:8080`.",
	}, tunnelcfg.KindServiceInvalid)
}
