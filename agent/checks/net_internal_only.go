package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// netInternalOnly: every network cloudflared is on is internal, so it has
// no route to Cloudflare.
func netInternalOnly() agent.Check {
	c := agent.Check{
		Code:     "NET005",
		Title:    "cloudflared is only on internal networks (no egress)",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "A Docker network created with internal: true has no route out. If every network " +
			"cloudflared is on is internal, it cannot reach Cloudflare's edge on port 7844, and the " +
			"tunnel stays down (530/1033 for visitors). Origins may stay on internal networks.",
		Fix:   "Also connect cloudflared to a network with egress (e.g. a non-internal bridge); keep the origins on the internal one.",
		Needs: []string{agent.SourceDocker},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runInternalOnly(c, s) }
	return c
}

func runInternalOnly(c agent.Check, s *agent.Snapshot) []agent.Finding {
	d := s.Docker
	if d.Cloudflared == nil || d.Topology == nil {
		return nil
	}
	ns := cfNamespace(s)
	nets := d.Topology.NamespaceNetworks(ns)
	if ns.Kind != dockernet.NSNetworks || len(nets) == 0 {
		return nil
	}
	for _, n := range nets {
		if !n.Internal {
			return nil
		}
	}
	names := cloudflaredNetworks(s)
	target := d.Cloudflared
	if ns.Owner != nil {
		target = ns.Owner
	}
	f := c.Finding(agent.Error, fmt.Sprintf("cloudflared %s is only on internal networks (%s): it cannot reach Cloudflare's edge.",
		d.Cloudflared.Name, joinOr(names, "")))
	f.Fix = fmt.Sprintf("docker network create tunnel-egress\ndocker network connect tunnel-egress %s\n"+
		"or in compose:\nservices:\n  %s:\n    networks: [%s, egress]\nnetworks:\n  egress: {}",
		target.Name, composeName(target), composeNetworkKey(target, names[0]))
	f.Evidence = map[string]string{"cloudflared": d.Cloudflared.Name, "cloudflared_networks": joinOr(names, ""), "verdict": verdictBasis(s)}
	return []agent.Finding{f}
}
