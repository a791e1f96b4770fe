package watch

import (
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Relevant reports whether a Docker event can change this tunnel's
// findings, judged on the last snapshot, so a busy host's unrelated
// containers do not re-run the checks. Relevant are events about:
// cloudflared and containers in its network namespace; containers on a
// network cloudflared is on; containers an ingress rule names; containers
// the last run did not know (new, or recreated by compose); cloudflared's
// networks. Without the facts to judge, every event is relevant.
func Relevant(s *agent.Snapshot, e dockernet.Event) bool {
	if s == nil || s.Docker.Topology == nil || s.Docker.Cloudflared == nil {
		return true
	}
	cf := s.Docker.Cloudflared
	nets := map[string]bool{}
	for _, c := range s.Docker.Topology.Containers {
		if c.ID == cf.ID || sharesNamespace(c, cf) {
			for _, ep := range c.Endpoints {
				nets[ep.NetworkID], nets[ep.NetworkName] = true, true
			}
		}
	}
	if e.Type == "network" {
		return nets[e.ID] || nets[e.Name] || containerRelevant(s, cf, nets, e.Container)
	}
	return containerRelevant(s, cf, nets, e.ID)
}

func containerRelevant(s *agent.Snapshot, cf *dockernet.Container, nets map[string]bool, id string) bool {
	if id == "" {
		return false
	}
	var c *dockernet.Container
	for _, k := range s.Docker.Topology.Containers {
		if k.ID == id {
			c = k
			break
		}
	}
	if c == nil {
		return true // unknown to the last run: maybe a new origin
	}
	if c.ID == cf.ID || sharesNamespace(c, cf) {
		return true
	}
	for _, ep := range c.Endpoints {
		if nets[ep.NetworkID] || nets[ep.NetworkName] {
			return true
		}
	}
	return namedByRule(s, c)
}

// sharesNamespace: c runs in cloudflared's network namespace, or
// cloudflared runs in c's.
func sharesNamespace(c, cf *dockernet.Container) bool {
	return c.NetworkMode == "container:"+cf.ID || cf.NetworkMode == "container:"+c.ID
}

// namedByRule: a rule's service names the container (by name, compose
// service or alias), e.g. an origin on the wrong network.
func namedByRule(s *agent.Snapshot, c *dockernet.Container) bool {
	if s.Ingress.Config == nil {
		return false
	}
	names := []string{c.Name, c.Service}
	for _, ep := range c.Endpoints {
		names = append(names, ep.Aliases...)
	}
	for _, r := range s.Ingress.Config.Rules {
		for _, n := range names {
			if n != "" && (strings.Contains(r.Service, "//"+n+":") || strings.HasSuffix(r.Service, "//"+n)) {
				return true
			}
		}
	}
	return false
}
