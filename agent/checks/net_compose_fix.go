package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Compose network label: the network's key in its project's file.
const labelComposeNetwork = "com.docker.compose.network"

// connectFix is the exact change that puts cloudflared on a network: the
// command for now, and the compose lines that make it last through
// `docker compose down && up` (for a container started with docker run,
// the --network flag of the command that creates it). A network of cloudflared's own compose
// project is named by its key and declared as the project's (compose creates
// it); declaring it external would break the next fresh deploy, where it does
// not exist yet. Only a network from outside the project is external, under
// its real name.
func connectFix(s *agent.Snapshot, network string) string {
	cf := s.Docker.Cloudflared
	ns := cfNamespace(s)
	target := cf
	if ns.Owner != nil && ns.Owner != cf {
		target = ns.Owner // a joiner has no networks of its own: connect its donor
	}
	topo := s.Docker.Topology
	var b strings.Builder
	fmt.Fprintf(&b, "docker network connect %s %s\n", network, target.Name)
	if !composeManaged(target) {
		// Started with docker run: there is no compose file to edit.
		fmt.Fprintf(&b, "and add `--network %s` (one per network: `docker network connect` after `docker run`) to the command that creates %s, so a re-created container keeps it.",
			network, target.Name)
		return b.String()
	}
	where := target.Name + "'s compose file"
	if target.Project != "" {
		where = fmt.Sprintf("the compose file of project %s", target.Project)
	}
	fmt.Fprintf(&b, "and in %s, so it survives a re-create (docker compose up -d, or docker-compose up -d with Compose v1):\n", where)
	fmt.Fprintf(&b, "services:\n  %s:\n    networks:\n", composeName(target))
	var decl []string
	seen := map[string]bool{}
	add := func(name string) {
		key, external := composeNetworkRef(topo, target, name)
		if seen[key] {
			return
		}
		seen[key] = true
		fmt.Fprintf(&b, "      - %s\n", key)
		if external {
			decl = append(decl, fmt.Sprintf("  %s:\n    external: true", key))
		} else {
			decl = append(decl, fmt.Sprintf("  %s: {}", key))
		}
	}
	for _, n := range cloudflaredNetworks(s) {
		if n != "bridge" {
			add(n)
		}
	}
	add(network)
	b.WriteString("networks:\n")
	b.WriteString(strings.Join(decl, "\n"))
	return b.String()
}

// composeNetworkRef is how c's compose file names a network: its key when
// the network belongs to c's project (compose labels it with the project and
// the key), else its real name, declared external.
func composeNetworkRef(topo *dockernet.Topology, c *dockernet.Container, name string) (key string, external bool) {
	if n := topo.Network(name); n != nil && c.Project != "" &&
		n.Labels[dockernet.LabelProject] == c.Project && n.Labels[labelComposeNetwork] != "" {
		return n.Labels[labelComposeNetwork], false
	}
	return name, true
}
