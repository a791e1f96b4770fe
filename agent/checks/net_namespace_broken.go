package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// netNamespaceBroken: cloudflared shares another container's network
// namespace, and that donor is gone, stopped, or was restarted after it.
func netNamespaceBroken() agent.Check {
	c := agent.Check{
		Code:     "NET010",
		Title:    "cloudflared's shared network namespace is gone or stale",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "With network_mode: service:X (container:X) cloudflared uses X's network stack. If X is " +
			"removed, stopped or restarted, cloudflared keeps the old, dead namespace and reaches nothing " +
			"until it is restarted itself.",
		Fix:   "Restart cloudflared after its network donor (docker restart CLOUDFLARED), and add depends_on on the donor in compose.",
		Needs: []string{agent.SourceDocker},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runNamespaceBroken(c, s) }
	return c
}

func runNamespaceBroken(c agent.Check, s *agent.Snapshot) []agent.Finding {
	d := s.Docker
	if d.Cloudflared == nil || d.Topology == nil {
		return nil
	}
	ns := cfNamespace(s)
	cf := d.Cloudflared
	var msg string
	switch {
	case ns.Kind == dockernet.NSBroken:
		msg = fmt.Sprintf("cloudflared %s has no usable network: %s.", cf.Name, ns.Problem)
	case ns.Stale && ns.Owner != nil:
		msg = fmt.Sprintf("cloudflared %s shares the network namespace of %s, which started after it (%s vs %s): cloudflared probably holds the old, dead namespace.",
			cf.Name, ns.Owner.Name, ns.Owner.StartedAt.Format("15:04:05"), cf.StartedAt.Format("15:04:05"))
	default:
		return nil
	}
	f := c.Finding(agent.Error, msg)
	f.Fix = fmt.Sprintf("docker restart %s\nand in compose, make the dependency explicit:\nservices:\n  %s:\n    depends_on: [DONOR_SERVICE]",
		cf.Name, composeName(cf))
	f.Evidence = map[string]string{"cloudflared": cf.Name, "network_mode": cf.NetworkMode}
	return []agent.Finding{f}
}
