package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// netInferred: tunneldoctor does not run in cloudflared's network
// namespace, so network verdicts come from the Docker API only.
func netInferred() agent.Check {
	c := agent.Check{
		Code:     "NET009",
		Title:    "Network verdicts are inferred, not probed from cloudflared",
		Hop:      agent.HopNetwork,
		Severity: agent.Info,
		Explain: "tunneldoctor sees exactly what cloudflared sees (its DNS, /etc/hosts, routes) only when it " +
			"runs in cloudflared's network namespace. Elsewhere, name resolution and reachability are " +
			"worked out from the Docker API, and probes run from another place than cloudflared.",
		Fix:   "Run tunneldoctor with network_mode: \"service:cloudflared\" (compose) or --network container:CLOUDFLARED (docker run).",
		Needs: []string{agent.SourceDocker},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runInferred(c, s) }
	return c
}

func runInferred(c agent.Check, s *agent.Snapshot) []agent.Finding {
	d := s.Docker
	if d.Cloudflared == nil || d.SharesNamespace {
		return nil
	}
	where := "on the host"
	if d.Self != nil {
		where = "in container " + d.Self.Name
	}
	cf := d.Cloudflared
	f := c.Finding(agent.Info, fmt.Sprintf("tunneldoctor runs %s, not in cloudflared's network namespace (%s): network verdicts are inferred from the Docker API, not probed from cloudflared.",
		where, cf.Name))
	f.Fix = fmt.Sprintf("services:\n  tunneldoctor:\n    network_mode: \"service:%s\"\n"+
		"or: docker run --rm --network container:%s -v /var/run/docker.sock:/var/run/docker.sock:ro tunneldoctor check",
		composeName(cf), cf.Name)
	f.Evidence = map[string]string{"cloudflared": cf.Name, "tunneldoctor": where}
	return []agent.Finding{f}
}
