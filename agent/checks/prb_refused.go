package checks

import (
	"fmt"
	"net"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// refused: nothing accepts connections on the rule's port.
func refused() agent.Check {
	c := agent.Check{
		Code:     "PRB012",
		Title:    "Origin refuses the connection",
		Hop:      agent.HopProtocol,
		Severity: agent.Error,
		Explain: "The origin's host answered but nothing listens on the rule's port (\"connection refused\"): " +
			"a wrong port, an app that listens on 127.0.0.1 inside its own container, or an app that is not " +
			"running. cloudflared logs \"Unable to reach the origin service\" and visitors get 502. With cloudflared on " +
			"the host, a port no container publishes is NET030's and a stopped publisher ORG001's: this finding then " +
			"only quotes the probe, at info.",
		Fix:   "Use the port the app listens on, and make the app listen on 0.0.0.0 inside its container.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runRefused(c, s) }
	return c
}

func runRefused(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		if r.Cause != probe.CauseRefused {
			continue
		}
		t := r.Target
		if f, ok := deferredProbe(c, s, r, "connection refused on "+targetAddress(t)); ok {
			out = append(out, f)
			continue
		}
		_, port, _ := net.SplitHostPort(t.Address)
		if isLoopback(t.Host) {
			out = append(out, refusedLoopback(c, s, r, port))
			continue
		}
		name, ports := originPorts(s, t.Host)
		sev := agent.Error
		msg := fmt.Sprintf("%s: connection refused on %s: nothing listens on port %s there%s.",
			ruleName(t), targetAddress(t), port, notCloudflaredView(s))
		fix := fmt.Sprintf("Make the service name the port the app listens on, and have the app listen on 0.0.0.0:%s inside its container (not 127.0.0.1).", port)
		if oc := originContainer(s, t.Host); oc != nil && declaresPort(oc, port) && len(otherPorts(ports, port)) == 0 {
			// The port is the container's own: the app is up on the wrong
			// address (127.0.0.1 inside its container), or not up at all.
			f := refusedLoopbackBind(c, s, r, oc, port)
			out = append(out, f)
			continue
		}
		if other := otherPorts(ports, port); name != "" && len(other) > 0 {
			msg = fmt.Sprintf("%s: connection refused on %s, while container %s exposes %s%s.",
				ruleName(t), targetAddress(t), name, strings.Join(ports, ", "), notCloudflaredView(s))
			fix = "Use the port the container exposes:\n" + ruleYAML(t, withPort(t, other[0]))
		} else if name != "" && len(ports) > 0 {
			msg = fmt.Sprintf("%s: connection refused on %s although container %s exposes %s: the app is not listening there, or only on 127.0.0.1 inside the container%s.",
				ruleName(t), targetAddress(t), name, strings.Join(ports, ", "), notCloudflaredView(s))
		}
		f := probeFinding(c, sev, s, r, msg, fix)
		if name != "" {
			f.Evidence["origin_container"] = name
			f.Evidence["exposed_ports"] = strings.Join(ports, ", ")
		}
		out = append(out, f)
	}
	return out
}

// originPorts names the running container that host reaches from
// cloudflared's namespace and the ports it exposes or publishes ("8080/tcp"),
// when the Docker facts know them.
func originPorts(s *agent.Snapshot, host string) (string, []string) {
	c := originContainer(s, host)
	if c == nil {
		return "", nil
	}
	seen := map[string]bool{}
	var ports []string
	for _, p := range c.ExposedPorts {
		if !seen[p] {
			seen[p] = true
			ports = append(ports, p)
		}
	}
	for _, b := range c.Published {
		if !seen[b.ContainerPort] {
			seen[b.ContainerPort] = true
			ports = append(ports, b.ContainerPort)
		}
	}
	return c.Name, ports
}

// otherPorts returns the TCP port numbers in ports ("8080/tcp") other than port.
func otherPorts(ports []string, port string) []string {
	var out []string
	for _, p := range ports {
		num, proto, _ := strings.Cut(p, "/")
		if (proto == "" || proto == "tcp") && num != port {
			out = append(out, num)
		}
	}
	if len(out) > 0 && len(out) < len(ports) {
		return nil // the rule's port is exposed too: a listening problem, not a wrong port
	}
	return out
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}
