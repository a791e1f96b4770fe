package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingServicePath: a rule's service has a path.
func ingServicePath() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING011",
		Title:    "A rule's service has a path",
		Severity: agent.Error,
		Explain:  "cloudflared does not rewrite paths: the request's own path is sent to the origin, so a service with any path, even a trailing `/`, is refused (\"ingress rules don't support proxying to a different path on the origin service\").",
		Fix:      "Remove the path from the service (`http://app:8080`); route by path with the rule's `path:` regex instead.",
	}, tunnelcfg.KindServiceHasPath)
}
