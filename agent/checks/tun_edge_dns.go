package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
)

// tunEdgeDNS: the SRV lookup of Cloudflare's edge failed; cloudflared exits.
func tunEdgeDNS() agent.Check {
	c := agent.Check{
		Code:     "TUN004",
		Title:    "cloudflared cannot look up Cloudflare's edge (DNS)",
		Hop:      agent.HopTunnel,
		Severity: agent.Error,
		Explain: "cloudflared finds the edge through the SRV record _v2-origintunneld._tcp.argotunnel.com. " +
			"When the container's resolver fails and the DNS-over-TLS fallback to 1.1.1.1:853 fails too, it logs " +
			"\"edge discovery: error looking up Cloudflare edge IPs: the DNS query failed\" and exits.",
		Fix:   "Give the container a resolver that answers SRV queries (compose `dns: [1.1.1.1, 1.0.0.1]`), or allow TCP 853 out.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		e, n, ok := lastOf(current(f), cloudflared.KindEdgeDNSFailure)
		if !ok || connected(f) {
			return nil
		}
		msg := fmt.Sprintf("%s cannot resolve Cloudflare's edge (SRV _v2-origintunneld._tcp.argotunnel.com) and exits: %s.", cfName(f), e.Cause)
		fix := fmt.Sprintf("Fix DNS for the container: in compose add `dns: [\"1.1.1.1\", \"1.0.0.1\"]` to the cloudflared service "+
			"(or `docker run --dns 1.1.1.1`), or repair the host resolver it inherits; a firewall must also allow UDP/TCP 53 "+
			"(or TCP 853 for the DNS-over-TLS fallback). Check with `dig srv _v2-origintunneld._tcp.argotunnel.com` "+
			"from the same network, then `docker restart %s`.", containerRef(f))
		return []agent.Finding{eventFinding(c, agent.Error, f, e, n, msg, fix)}
	}
	return c
}
