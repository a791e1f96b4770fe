package tunnelcfg

// Problem kinds. cloudflared refuses a configuration for the kinds marked
// "fatal"; the others are tunneldoctor's own warnings and advice.
const (
	// Reading the file.
	KindYAMLSyntax   Kind = "yaml-syntax"   // fatal: not YAML at all
	KindDuplicateKey Kind = "duplicate-key" // fatal: a mapping key given twice
	KindTypeError    Kind = "type-error"    // fatal: `connectTimeout: 5`, a list where a map belongs
	KindSettingType  Kind = "setting-type"  // fatal: a top-level flag of the wrong type (`metrics: 5`)
	KindUnknownKey   Kind = "unknown-key"   // ignored key, usually a typo or wrong case (`noTlsVerify`)

	// cloudflared's own validation (ingress.go validateIngress).
	KindNoRules               Kind = "no-rules"
	KindLastRuleNotCatchAll   Kind = "last-rule-not-catch-all"
	KindCatchAllNotLast       Kind = "catch-all-not-last"
	KindBadWildcard           Kind = "bad-wildcard"
	KindHostnameHasPort       Kind = "hostname-has-port"
	KindInvalidPathRegex      Kind = "invalid-path-regex"
	KindServiceInvalid        Kind = "service-invalid"  // no scheme or host, unparsable URL, empty
	KindServiceHasPath        Kind = "service-has-path" // includes a bare trailing "/"
	KindHTTPStatusInvalid     Kind = "http-status-invalid"
	KindAccessTeamNameMissing Kind = "access-team-name-missing"
	KindSocksIPRuleInvalid    Kind = "socks-ip-rule-invalid"
	KindURLWithIngress        Kind = "url-with-ingress"

	// Accepted by cloudflared, but requests do not go where the author meant.
	KindRuleShadowed        Kind = "rule-shadowed"
	KindDuplicateRule       Kind = "duplicate-rule"
	KindWildcardLiteral     Kind = "wildcard-literal"       // `*foo.example.com` only matches itself
	KindHostnameCaseNoMatch Kind = "hostname-case-no-match" // upper case that no lowercase request host can match
	KindServicePortInvalid  Kind = "service-port-invalid"   // 0, >65535, or a TCP scheme with no default port
	KindLegacyFlagIgnored   Kind = "legacy-flag-ignored"    // no-tls-verify & co. beside ingress rules
	KindSettingNotFromFile  Kind = "setting-not-from-file"  // `config:` / `output:` in the file

	// Advice.
	KindLoopbackService       Kind = "loopback-service" // localhost/127.0.0.1/::1: cloudflared's own namespace
	KindHostnameUpperCase     Kind = "hostname-upper-case"
	KindServiceQuery          Kind = "service-query" // ?query or #fragment, dropped by cloudflared
	KindNoTLSVerify           Kind = "no-tls-verify"
	KindTLSOptionWithoutTLS   Kind = "tls-option-without-tls"
	KindHTTP2OriginWithoutTLS Kind = "http2-origin-without-tls"

	// cloudflared's command line and environment (ParseCommandLine).
	KindFlagMisplaced    Kind = "flag-misplaced"     // fatal: "flag provided but not defined" at this position
	KindFlagUnknown      Kind = "flag-unknown"       // a flag tunneldoctor does not know
	KindFlagValueInvalid Kind = "flag-value-invalid" // fatal: `--retries abc`, NO_TLS_VERIFY=yes
	KindRunExtraArgs     Kind = "run-extra-args"     // fatal: more than one argument after `run`
	KindTokenInvalid     Kind = "token-invalid"      // fatal: "Provided Tunnel token is not valid."
)

// Kinds lists every problem kind, so a test can prove each has a check.
func Kinds() []Kind {
	return []Kind{
		KindYAMLSyntax, KindDuplicateKey, KindTypeError, KindSettingType, KindUnknownKey,
		KindNoRules, KindLastRuleNotCatchAll, KindCatchAllNotLast, KindBadWildcard,
		KindHostnameHasPort, KindInvalidPathRegex, KindServiceInvalid, KindServiceHasPath,
		KindHTTPStatusInvalid, KindAccessTeamNameMissing, KindSocksIPRuleInvalid, KindURLWithIngress,
		KindRuleShadowed, KindDuplicateRule, KindWildcardLiteral, KindHostnameCaseNoMatch,
		KindServicePortInvalid, KindLegacyFlagIgnored, KindSettingNotFromFile,
		KindLoopbackService, KindHostnameUpperCase, KindServiceQuery, KindNoTLSVerify,
		KindTLSOptionWithoutTLS, KindHTTP2OriginWithoutTLS,
		KindFlagMisplaced, KindFlagUnknown, KindFlagValueInvalid, KindRunExtraArgs, KindTokenInvalid,
	}
}
