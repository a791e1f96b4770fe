package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfDNSOtherTunnel: the hostname's CNAME points at another tunnel's
// <uuid>.cfargotunnel.com: typical after a tunnel was deleted and re-created.
func cfDNSOtherTunnel() agent.Check {
	c := agent.Check{
		Code:     "CF022",
		Title:    "DNS routes the hostname to another (or a deleted) tunnel",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "A tunnel route is a CNAME to <tunnel-id>.cfargotunnel.com. When a tunnel is deleted and created " +
			"again it gets a new id, but the old CNAME stays: visitors get 1016/1033/530 errors, and this tunnel's " +
			"ingress rule is never used. A CNAME to a live tunnel sends the traffic to that tunnel instead.",
		Fix:   "Point the record at this tunnel: cloudflared tunnel route dns --overwrite-dns <this-tunnel> <hostname>.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		if f == nil || f.TunnelID == "" {
			return nil
		}
		return cfRecordFindings(s, func(h cfHost, _ *cfapi.Zone, r cfapi.Record) *agent.Finding {
			other := r.TunnelOf()
			if other == "" || other == f.TunnelID {
				return nil
			}
			o, looked := f.OtherTunnels[other]
			sev, what := agent.Error, "another tunnel ("+other+")"
			switch {
			case looked && (!o.Found || o.Deleted):
				what = "a deleted tunnel (" + other + ")"
			case looked && o.Found:
				sev, what = agent.Warn, fmt.Sprintf("another live tunnel %q (%s, status %s)", o.Name, other, o.Status)
			}
			fd := cfFinding(c, sev, h, fmt.Sprintf("%s: DNS sends visitors to %s, not to this tunnel (%s): this tunnel's rule #%d is never used.",
				h.Host, what, f.TunnelID, h.Rule), cfRouteFix(f, h.Host))
			fd.Evidence["this_tunnel"] = f.TunnelID
			fd.Evidence["record_tunnel"] = other
			return &fd
		})
	}
	return c
}
