package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// networkChecks lists the checks of the network and origin-container hops,
// in report order: can tunneldoctor see Docker, which cloudflared, then
// cloudflared's own network, each rule's path, and the origin containers.
func networkChecks() []agent.Check {
	return []agent.Check{
		agtSidecarStranded(),
		agtDockerUnreachable(),
		agtCloudflaredUnknown(),
		agtDockerPartial(),
		agtDockerTooLarge(),
		netNamespaceBroken(),
		netInternalOnly(),
		netDefaultBridge(),
		netLocalhost(),
		netOtherNetwork(),
		netUnknownName(),
		netHostGateway(),
		netICCDisabled(),
		netRoundRobin(),
		netInferred(),
		netHostUnpublished(),
		netHostContainerName(),
		orgExited(),
		orgRestarting(),
		orgOOM(),
		orgPaused(),
		orgUnhealthy(),
		orgStarting(),
		orgMemory(),
		orgUpstreamDown(),
	}
}
