package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingSocksIPRule: a socks-proxy ipRules entry is invalid.
func ingSocksIPRule() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING014",
		Title:    "A socks-proxy ipRules entry is invalid",
		Severity: agent.Error,
		Explain:  "For `service: socks-proxy`, each ipRules entry needs a CIDR prefix and ports from 1 to 65535; otherwise cloudflared refuses the configuration (\"unable to create ip rule for socks-proxy\").",
		Fix:      "Write entries as `{prefix: 10.0.0.0/8, ports: [80, 443], allow: true}`.",
	}, tunnelcfg.KindSocksIPRuleInvalid)
}
