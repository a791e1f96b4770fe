package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingURLWithIngress: --url is set together with ingress rules.
func ingURLWithIngress() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING015",
		Title:    "--url is set together with ingress rules",
		Severity: agent.Error,
		Explain:  "`cloudflared tunnel ingress validate` rejects --url/TUNNEL_URL/`url:` beside ingress rules; `tunnel run` silently ignores the URL, so the origin it names is not served the way the URL suggests.",
		Fix:      "Remove the url and add an ingress rule for that origin.",
	}, tunnelcfg.KindURLWithIngress)
}
