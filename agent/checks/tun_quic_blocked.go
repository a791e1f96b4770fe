package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
)

// tunQUICBlocked: UDP 7844 to the edge is dropped.
func tunQUICBlocked() agent.Check {
	c := agent.Check{
		Code:     "TUN005",
		Title:    "QUIC to Cloudflare (UDP 7844) is blocked",
		Hop:      agent.HopTunnel,
		Severity: agent.Error,
		Explain: "cloudflared prefers QUIC over UDP port 7844. When those packets are dropped it logs " +
			"\"Failed to dial a quic connection ... no recent network activity\". With the default protocol it " +
			"falls back to http2 over TCP 7844; with `--protocol quic` it has no fallback and never connects.",
		Fix:   "Run with `--protocol http2` (before `run`) or allow egress UDP 7844.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		ev := current(f)
		e, n, ok := lastOf(ev, cloudflared.KindQUICBlocked)
		if !ok {
			return nil
		}
		_, _, fellBack := lastOf(ev, cloudflared.KindProtocolFallback)
		if connected(f) {
			if !fellBack {
				return nil // QUIC failed once and then worked: not a finding
			}
			msg := fmt.Sprintf("%s could not use QUIC (UDP 7844 dropped) and fell back to http2; the tunnel works, but without QUIC (no UDP/ICMP private routing).", cfName(f))
			fix := "Allow egress UDP 7844 to Cloudflare, or make http2 explicit so cloudflared stops trying QUIC first: " +
				"`--protocol http2` before `run` (or TUNNEL_TRANSPORT_PROTOCOL=http2)."
			return []agent.Finding{eventFinding(c, agent.Info, f, e, n, msg, fix)}
		}
		msg := fmt.Sprintf("%s cannot reach Cloudflare over QUIC: \"%s\" (UDP 7844 is blocked or dropped).", cfName(f), e.Cause)
		if f.Protocol == "quic" {
			msg += " It is pinned to `--protocol quic`, which has no fallback, so it never connects."
		}
		fix := commandFix(f, "--protocol", "http2")
		if f.Protocol == "quic" {
			fix = "Replace `--protocol quic` with `--protocol http2` (or drop it for auto), or allow egress UDP 7844."
		} else if fix == "" {
			fix = "Set `--protocol http2` before `run` (or TUNNEL_TRANSPORT_PROTOCOL=http2), or allow egress UDP 7844."
		} else {
			fix = "Use http2 over TCP 7844, or allow egress UDP 7844. " + fix
		}
		out := eventFinding(c, agent.Error, f, e, n, msg, fix)
		if f.Protocol != "" {
			out.Evidence["protocol"] = f.Protocol
		}
		return []agent.Finding{out}
	}
	return c
}
