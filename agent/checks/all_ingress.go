package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// ingressChecks lists the checks of the ingress hop, in report order:
// cloudflared's own refusals first, then warnings, then advice, then its
// command line.
func ingressChecks() []agent.Check {
	pcs := ingressProblemChecks()
	out := make([]agent.Check, len(pcs))
	for i, pc := range pcs {
		out[i] = pc.check
	}
	return out
}

// ingressProblemChecks pairs each ingress check with the tunnelcfg problem
// kinds it reports; KindChecks reads it too.
func ingressProblemChecks() []problemCheck {
	return []problemCheck{
		ingYAMLSyntax(),
		ingTypeError(),
		ingUnknownKey(),
		ingNoRules(),
		ingLastRuleNotCatchAll(),
		ingCatchAllNotLast(),
		ingBadWildcard(),
		ingHostnamePort(),
		ingPathRegex(),
		ingServiceInvalid(),
		ingServicePath(),
		ingHTTPStatus(),
		ingAccessTeam(),
		ingSocksIPRule(),
		ingURLWithIngress(),
		ingRuleShadowed(),
		ingWildcardLiteral(),
		ingHostnameCase(),
		ingServicePort(),
		ingLegacyFlag(),
		ingSettingNotFromFile(),
		ingLoopbackService(),
		ingHostnameUpper(),
		ingServiceQuery(),
		ingNoTLSVerify(),
		ingTLSOptionPlain(),
		ingHTTP2Plain(),
		ingFlagMisplaced(),
		ingFlagUnknown(),
		ingFlagValue(),
		ingRunExtraArgs(),
		ingTokenInvalid(),
	}
}
