package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// edgeChecks lists the checks of the edge hop(s), in report order.
func edgeChecks() []agent.Check {
	return []agent.Check{
		// What the API could tell.
		cfNoToken(),
		cfTokenInvalid(),
		cfPermissionMissing(),
		cfAPIFailed(),
		cfTunnelIDs(),
		// What a visitor gets.
		cfPublicEdgeError(),
		cfPublicOriginError(),
		cfPublicNotCloudflare(),
		cfPublicUnreachable(),
		cfIncident(),
		// Zone and DNS.
		cfZonePaused(),
		cfZoneNotActive(),
		cfZoneMissing(),
		cfDNSMissing(),
		cfDNSNotProxied(),
		cfDNSOtherTunnel(),
		cfDNSBypass(),
		cfDNSApexWildcard(),
		cfDNSUnrouted(),
		// The tunnel at Cloudflare.
		cfTunnelDeleted(),
		cfTunnelDown(),
		cfTunnelDegraded(),
		cfTunnelConnectors(),
		cfRemoteConfigDiffers(),
		// Zone settings.
		cfProxyReadTimeout(),
		cfDevelopmentMode(),
		cfAlwaysOnline(),
		cfErrorPagePassThru(),
	}
}
