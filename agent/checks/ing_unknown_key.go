package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingUnknownKey: cloudflared ignores a misspelled or unknown key.
func ingUnknownKey() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING003",
		Title:    "cloudflared ignores a misspelled or unknown key",
		Severity: agent.Warn,
		Explain:  "Keys are case-sensitive and cloudflared silently ignores the ones it does not know: `noTlsVerify` instead of `noTLSVerify`, `originrequest`, `Ingress:`. The setting you wrote has no effect, which often explains a TLS error or a 404 that \"should\" be fixed.",
		Fix:      "Rename the key to the exact spelling tunneldoctor suggests, or remove it.",
	}, tunnelcfg.KindUnknownKey)
}
