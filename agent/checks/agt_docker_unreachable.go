package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
)

// agtDockerUnreachable: Docker was expected but could not be read.
func agtDockerUnreachable() agent.Check {
	c := agent.Check{
		Code:     "AGT101",
		Title:    "Docker API unreachable",
		Hop:      agent.HopNetwork,
		Severity: agent.Warn,
		Explain: "tunneldoctor could not read the Docker Engine API, so it cannot find cloudflared's " +
			"container or judge the network and origin containers; those checks are skipped.",
		Fix: "Mount the socket read-only (-v /var/run/docker.sock:/var/run/docker.sock:ro, with group_add: " +
			"[DOCKER_GID] for a non-root user) or set DOCKER_HOST=tcp://socket-proxy:2375; on a host without " +
			"Docker pass --docker-host off.",
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		if s.Docker.Failure == "" || s.Stranded() != "" {
			return nil // stranded: AGT104 says why and what to do; mounting the socket would not help
		}
		f := c.Finding(agent.Warn, "Docker could not be read: "+s.Docker.Failure+"; network and origin-container checks are skipped.")
		f.Fix = c.Fix
		f.Evidence = map[string]string{"docker_host": s.Docker.Host, "error": s.Docker.Failure}
		return []agent.Finding{f}
	}
	return c
}
