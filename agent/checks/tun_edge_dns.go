package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
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
			"\"edge discovery: error looking up Cloudflare edge IPs: the DNS query failed\" and exits. With --edge " +
			"(TUNNEL_EDGE) it skips that discovery and resolves the given addresses instead: each one that does not " +
			"resolve is logged (\"failed to resolve to TCP address\") and skipped, and it exits only when none " +
			"resolves (\"failed to resolve any edge address\").",
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
		if edge, ok := edgeFlag(s); ok {
			// Static edge addresses: no SRV discovery. cloudflared skips the
			// names that do not resolve and exits only when none does.
			msg = fmt.Sprintf("%s cannot resolve the edge addresses it was given (--edge %s) and keeps retrying without a connection: %s.",
				cfName(f), edge, e.Cause)
			if noEdgeResolved(f) {
				msg = fmt.Sprintf("%s resolves none of the edge addresses it was given (--edge %s), so it does no discovery and exits "+
					"(\"failed to resolve any edge address\"): %s.", cfName(f), edge, e.Cause)
			}
		}
		fix := fmt.Sprintf("Fix DNS for the container: in compose add `dns: [\"1.1.1.1\", \"1.0.0.1\"]` to the cloudflared service "+
			"(or `docker run --dns 1.1.1.1`), or repair the host resolver it inherits; a firewall must also allow UDP/TCP 53 "+
			"(or TCP 853 for the DNS-over-TLS fallback). Check with `dig srv _v2-origintunneld._tcp.argotunnel.com` "+
			"from the same network, then `docker restart %s`.", containerRef(f))
		if edge, ok := edgeFlag(s); ok {
			fix = fmt.Sprintf("Give --edge addresses the container can resolve, or IP:port pairs (e.g. --edge 198.41.192.7:7844), "+
				"or drop --edge to use discovery; the names in --edge %s must resolve from cloudflared's container "+
				"(compose `dns: [\"1.1.1.1\", \"1.0.0.1\"]`), then re-create the container with the new flags "+
				"(`docker compose up -d`; without compose `docker rm -f %s` and `docker run` it again).", edge, containerRef(f))
		}
		return []agent.Finding{eventFinding(c, agent.Error, f, e, n, msg, fix)}
	}
	return c
}

// edgeFlag returns cloudflared's --edge (TUNNEL_EDGE) value when it is set:
// cloudflared then dials those addresses and does no SRV discovery.
func edgeFlag(s *agent.Snapshot) (string, bool) {
	for _, st := range []*tunnelcfg.Settings{s.Ingress.Settings, s.Docker.Settings} {
		if st == nil {
			continue
		}
		if v, ok := st.Flags["edge"]; ok && v.Value != "" {
			return v.Value, true
		}
	}
	return "", false
}

// noEdgeResolved reports cloudflared's exit for --edge addresses of which
// none resolved (allregions.StaticEdge).
func noEdgeResolved(f *agent.CloudflaredFacts) bool {
	e, _, ok := lastOf(current(f), cloudflared.KindShutdown)
	return ok && strings.Contains(e.Cause, "failed to resolve any edge address")
}
