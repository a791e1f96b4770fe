package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingTLSOptionPlain: tLS options on a rule whose origin is plain HTTP.
func ingTLSOptionPlain() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING026",
		Title:    "TLS options on a rule whose origin is plain HTTP",
		Severity: agent.Info,
		Explain:  "originServerName, caPool, noTLSVerify and matchSNItoHost only matter when cloudflared speaks TLS to the origin (https://, wss://, unix+tls:). On an http:// service they do nothing, which usually means the scheme is wrong.",
		Fix:      "Use https:// if the origin serves TLS; otherwise remove the TLS options.",
	}, tunnelcfg.KindTLSOptionWithoutTLS)
}
