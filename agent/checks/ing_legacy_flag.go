package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingLegacyFlag: a single-origin flag is ignored because ingress rules exist.
func ingLegacyFlag() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING020",
		Title:    "A single-origin flag is ignored because ingress rules exist",
		Severity: agent.Warn,
		Explain:  "--no-tls-verify, --origin-server-name, --http-host-header, --origin-ca-pool, the --proxy-* timeouts and their config-file keys only apply when there are no ingress rules; beside rules cloudflared ignores them, so the TLS or Host setting you expect is not used.",
		Fix:      "Move the setting into originRequest (top level for every rule, or per rule): e.g. `originRequest: {noTLSVerify: true}`.",
	}, tunnelcfg.KindLegacyFlagIgnored)
}
