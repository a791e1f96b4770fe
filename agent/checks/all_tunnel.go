package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// tunnelChecks lists the checks of the tunnel hop(s), in report order: is
// cloudflared up, why not, can we ask it, what it logged, which config it runs.
func tunnelChecks() []agent.Check {
	return []agent.Check{
		tunNotRunning(),
		tunInvalidToken(),
		tunFlagAfterRun(),
		tunEdgeDNS(),
		tunQUICBlocked(),
		tunTCPBlocked(),
		tunUnauthorized(),
		tunStartFailed(),
		tunNotConnected(),
		tunDegraded(),
		tunMetricsUnreachable(),
		tunConfigUnreadable(),
		tunOriginErrors(),
		tunConfigPushFailed(),
		tunRemoteOverridesFile(),
		tunRemoteIgnoresFlags(),
		tunFileNotReloaded(),
	}
}
