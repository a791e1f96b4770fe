package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Helpers shared by the network-hop and origin-container checks (net_*.go,
// org_*.go). They reason from the Docker topology as seen from cloudflared's
// namespace; nothing here does I/O.

// netNeeds is what every rule-based network check reads.
var netNeeds = []string{agent.SourceDocker, agent.SourceIngress}

// netTarget is one ingress rule whose service dials a host, with what that
// host means from cloudflared's namespace.
type netTarget struct {
	rule tunnelcfg.Rule
	svc  tunnelcfg.Service
	res  dockernet.Resolution
}

// netTargets resolves every rule that dials a host from cloudflared.
func netTargets(s *agent.Snapshot) []netTarget {
	d := s.Docker
	if d.Topology == nil || d.Cloudflared == nil || s.Ingress.Config == nil {
		return nil
	}
	var out []netTarget
	for _, r := range s.Ingress.Config.Rules {
		svc, err := tunnelcfg.ParseService(r.Service)
		if err != nil || svc.Host == "" || svc.Kind == tunnelcfg.ServiceHelloWorld {
			continue
		}
		out = append(out, netTarget{rule: r, svc: svc, res: d.Topology.Resolve(d.Cloudflared, svc.Host)})
	}
	return out
}

// netFinding starts a finding about one rule, with the evidence every
// network verdict carries.
func netFinding(c agent.Check, sev agent.Severity, s *agent.Snapshot, t netTarget, msg, fix string) agent.Finding {
	f := c.Finding(sev, msg)
	f.Rule, f.Hostname, f.Service, f.Fix = t.rule.Index, t.rule.Hostname, t.rule.Service, fix
	f.Evidence = map[string]string{
		"cloudflared":          s.Docker.Cloudflared.Name,
		"cloudflared_networks": joinOr(cloudflaredNetworks(s), "none"),
		"resolution":           string(t.res.Kind),
		"verdict":              verdictBasis(s),
	}
	if t.res.Reason != "" {
		f.Evidence["resolution_reason"] = t.res.Reason
	}
	return f
}

// verdictBasis says how sure a network verdict is.
func verdictBasis(s *agent.Snapshot) string {
	if s.Docker.SharesNamespace {
		return "inferred from the Docker API; probes ran from cloudflared's network namespace"
	}
	return "inferred from the Docker API, not probed from cloudflared's network namespace"
}

// cfNamespace is cloudflared's network namespace.
func cfNamespace(s *agent.Snapshot) dockernet.Namespace {
	if s.Docker.Cloudflared == nil {
		return dockernet.Namespace{} // host mode: no container to start from
	}
	return s.Docker.Topology.Namespace(s.Docker.Cloudflared)
}

// cloudflaredNetworks names the networks cloudflared's namespace is on.
func cloudflaredNetworks(s *agent.Snapshot) []string {
	var out []string
	for _, n := range s.Docker.Topology.NamespaceNetworks(cfNamespace(s)) {
		out = append(out, n.Name)
	}
	return out
}

// composeName is the name to use for a container in a compose file: its
// service name when compose made it.
func composeName(c *dockernet.Container) string {
	if c.Service != "" {
		return c.Service
	}
	return c.Name
}

// composeManaged reports whether Docker Compose created c (it carries the
// com.docker.compose labels); false for a container started with docker run.
func composeManaged(c *dockernet.Container) bool {
	return c.Project != "" || c.Service != ""
}

// composeNetworkKey is how a compose file names one of its container's
// networks: "<project>_default" is "default" inside project's own file.
func composeNetworkKey(c *dockernet.Container, network string) string {
	if c.Project != "" {
		if key, ok := strings.CutPrefix(network, c.Project+"_"); ok {
			return key
		}
	}
	return network
}

// serviceWithHost is the rule's service with another host (and port, when
// port is not "").
func serviceWithHost(t netTarget, host, port string) string {
	scheme := t.svc.Scheme
	if scheme == "" {
		scheme = "http"
	}
	if port == "" && t.svc.PortSet {
		port = fmt.Sprint(t.svc.Port)
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// serviceYAML is the corrected ingress rule line.
func serviceYAML(t netTarget, service string) string {
	if t.rule.Hostname != "" {
		return fmt.Sprintf("  - hostname: %s\n    service: %s", t.rule.Hostname, service)
	}
	return fmt.Sprintf("  - service: %s", service)
}

// ruleLabel names a rule for messages: "rule #2 (app.example.com)".
func ruleLabel(t netTarget) string {
	if t.rule.Hostname == "" {
		return fmt.Sprintf("rule #%d (catch-all)", t.rule.Index)
	}
	return fmt.Sprintf("rule #%d (%s)", t.rule.Index, t.rule.Hostname)
}

// answerContainers returns the distinct containers of answers.
func answerContainers(as []dockernet.Answer) []*dockernet.Container {
	seen := map[string]bool{}
	var out []*dockernet.Container
	for _, a := range as {
		if a.Container != nil && !seen[a.Container.ID] {
			seen[a.Container.ID] = true
			out = append(out, a.Container)
		}
	}
	return out
}

func joinOr(items []string, none string) string {
	if len(items) == 0 {
		return none
	}
	sorted := append([]string(nil), items...)
	sort.Strings(sorted)
	return strings.Join(sorted, ", ")
}
