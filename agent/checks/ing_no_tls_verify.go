package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingNoTLSVerify: origin certificate verification is off.
func ingNoTLSVerify() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING025",
		Title:    "Origin certificate verification is off",
		Severity: agent.Info,
		Explain:  "noTLSVerify: true makes cloudflared accept any certificate from the origin, including an attacker's on the path between them. It is a common quick fix for self-signed origins.",
		Fix:      "Prefer `caPool: /path/to/ca.pem` with the origin's CA, plus `originServerName` when the certificate's name differs from the service host.",
	}, tunnelcfg.KindNoTLSVerify)
}
