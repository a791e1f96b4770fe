package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingServicePort: a rule's service has an unusable port.
func ingServicePort() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING019",
		Title:    "A rule's service has an unusable port",
		Severity: agent.Warn,
		Explain:  "cloudflared accepts a port outside 1-65535, or a TCP-style scheme it has no default port for (only ssh, rdp, smb and tcp have one), but every connection to that origin then fails.",
		Fix:      "Give the port the origin listens on: `service: tcp://db:5432`.",
	}, tunnelcfg.KindServicePortInvalid)
}
