package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// protocolChecks lists the checks of the protocol hop(s), in report order.
func protocolChecks() []agent.Check {
	return []agent.Check{
		refused(),
		connectTimeout(),
		unreachable(),
		schemeMismatch(),
		tlsTimeout(),
		tlsVerify(),
		certExpiry(),
		noTLSVerifyUnneeded(),
		http2Origin(),
		origin5xx(),
		slowFirstByte(),
		bodyIntegrity(),
		redirectLoop(),
		originProxy(),
		hostRefused(),
		websocketUpgrade(),
	}
}
