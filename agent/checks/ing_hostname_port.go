package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingHostnamePort: a hostname contains a port.
func ingHostnamePort() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING008",
		Title:    "A hostname contains a port",
		Severity: agent.Error,
		Explain:  "Rule hostnames are matched against the request's host with its port removed, and cloudflared refuses hostnames with a port (\"Hostname cannot contain a port\").",
		Fix:      "Remove the port from `hostname`; the origin's port belongs in `service`.",
	}, tunnelcfg.KindHostnameHasPort)
}
