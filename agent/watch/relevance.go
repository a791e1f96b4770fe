package watch

import (
	"net/url"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Relevant reports whether a Docker event can change this tunnel's
// findings, judged on the last snapshot, so a busy host's unrelated
// containers cost nothing. Relevant are events about: cloudflared and the
// containers in its network namespace (by ID, or by name: a re-created
// cloudflared has a new ID); containers an ingress rule names (by name,
// compose service, alias or IP; a new container by its name or compose
// service); a container the last run did not know joining or leaving one
// of cloudflared's networks (an origin re-created under an alias). Without
// the facts to judge, every event is relevant.
func Relevant(s *agent.Snapshot, e dockernet.Event) bool {
	if s == nil || s.Docker.Topology == nil || s.Docker.Cloudflared == nil {
		return true
	}
	topo, cf := s.Docker.Topology, s.Docker.Cloudflared
	if e.Type == "network" {
		if e.Container == "" {
			return false
		}
		if topo.Container(e.Container) == nil {
			return onCloudflaredsNetworks(topo, cf, e)
		}
		return containerRelevant(s, cf, dockernet.Event{ID: e.Container})
	}
	return containerRelevant(s, cf, e)
}

// onCloudflaredsNetworks: the network event is about a network cloudflared
// or a container in its namespace is on.
func onCloudflaredsNetworks(topo *dockernet.Topology, cf *dockernet.Container, e dockernet.Event) bool {
	for _, c := range topo.Containers {
		if c.ID != cf.ID && !sharesNamespace(c, cf) {
			continue
		}
		for _, ep := range c.Endpoints {
			if ep.NetworkID == e.ID || ep.NetworkName == e.ID || ep.NetworkID == e.Name || ep.NetworkName == e.Name {
				return true
			}
		}
	}
	return false
}

func containerRelevant(s *agent.Snapshot, cf *dockernet.Container, e dockernet.Event) bool {
	if e.ID == "" {
		return false
	}
	c := s.Docker.Topology.Container(e.ID)
	if c == nil {
		// Unknown to the last run: only its name can tell. A re-created
		// cloudflared or sidecar keeps its name; a re-created origin its
		// name or compose service.
		if e.Name == "" {
			return false
		}
		if e.Name == cf.Name {
			return true
		}
		for _, k := range s.Docker.Topology.Containers {
			if sharesNamespace(k, cf) && k.Name == e.Name {
				return true
			}
		}
		return namedByRule(s, []string{e.Name, e.Service})
	}
	if c.ID == cf.ID || sharesNamespace(c, cf) {
		return true
	}
	names := []string{c.Name, c.Service}
	for _, ep := range c.Endpoints {
		names = append(names, ep.Aliases...)
		names = append(names, ep.IPv4)
	}
	return namedByRule(s, names)
}

// sharesNamespace: c runs in cloudflared's network namespace, or
// cloudflared runs in c's.
func sharesNamespace(c, cf *dockernet.Container) bool {
	return c.NetworkMode == "container:"+cf.ID || cf.NetworkMode == "container:"+c.ID
}

// namedByRule: a rule's service names one of names (a container's name,
// compose service, alias or IP), e.g. an origin on the wrong network.
func namedByRule(s *agent.Snapshot, names []string) bool {
	if s.Ingress.Config == nil {
		return false
	}
	for _, r := range s.Ingress.Config.Rules {
		host := ruleHost(r.Service)
		if host == "" {
			continue
		}
		for _, n := range names {
			if n != "" && strings.EqualFold(n, host) {
				return true
			}
		}
	}
	return false
}

// ruleHost is the host a rule's service dials ("web" for
// http://web:8080), "" for services without one (http_status:404).
func ruleHost(service string) string {
	u, err := url.Parse(service)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Hostname()
}
