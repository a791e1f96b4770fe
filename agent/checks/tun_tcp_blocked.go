package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
)

// tunTCPBlocked: TCP 7844 (http2 transport) to the edge fails.
func tunTCPBlocked() agent.Check {
	c := agent.Check{
		Code:     "TUN006",
		Title:    "http2 to Cloudflare (TCP 7844) is blocked",
		Hop:      agent.HopTunnel,
		Severity: agent.Error,
		Explain: "Over http2, cloudflared dials the edge on TCP port 7844 and speaks TLS. \"Unable to establish " +
			"connection with Cloudflare edge\" with a DialContext or TLS handshake error means a firewall, proxy " +
			"or TLS-inspecting middlebox stands in the way.",
		Fix:   "Allow egress TCP 7844 (and UDP 7844 for QUIC) to Cloudflare's tunnel addresses.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		e, n, ok := lastOf(current(f), cloudflared.KindTCPBlocked)
		if !ok || connected(f) {
			return nil
		}
		msg := fmt.Sprintf("%s cannot connect to Cloudflare's edge over TCP 7844: %s.", cfName(f), e.Cause)
		fix := "Allow egress to port 7844 over TCP and UDP towards region1.v2.argotunnel.com and region2.v2.argotunnel.com " +
			"(see developers.cloudflare.com/cloudflare-one/connections/connect-networks/deploy-tunnels/tunnel-with-firewall/); " +
			"a TLS-inspecting proxy must exempt them."
		if f.Protocol == "http2" {
			fix += " If only UDP is open, remove `--protocol http2` so cloudflared can use QUIC."
		}
		return []agent.Finding{eventFinding(c, agent.Error, f, e, n, msg, fix)}
	}
	return c
}
