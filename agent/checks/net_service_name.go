package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// stableName is the name to put in a service URL for container c: its
// compose service name when that name reaches c's service (and only it)
// from cloudflared, else its container name. A service name resolves on the
// project's networks whatever compose calls the container (proj_web_1 in
// Compose v1, proj-web-1 in v2) and survives re-creation and scaling.
func stableName(s *agent.Snapshot, c *dockernet.Container) string {
	if c.Service == "" || c.Service == c.Name || s.Docker.Topology == nil || s.Docker.Cloudflared == nil {
		return c.Name
	}
	res := s.Docker.Topology.Resolve(s.Docker.Cloudflared, c.Service)
	if res.Kind != dockernet.ResolveContainers {
		return c.Name
	}
	for _, a := range res.Answers {
		if a.Container.Project != c.Project || a.Container.Service != c.Service {
			return c.Name // the name is shared with another project's container
		}
	}
	return c.Service
}
