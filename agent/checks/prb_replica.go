package checks

import (
	"fmt"
	"net"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// replicaNote names the replica a probe reached when several containers
// answer the service's host name (scaled replicas, or one alias on several
// containers): the failure is that container's, not the name's. It returns
// a sentence for the message ("" when one container answers) and adds the
// replica's name, state and address to the evidence.
func replicaNote(s *agent.Snapshot, r probe.Result, evidence map[string]string) string {
	d := s.Docker
	if !d.Available() || d.Topology == nil || d.Cloudflared == nil || r.Target.Host == "" {
		return ""
	}
	res := d.Topology.Resolve(d.Cloudflared, r.Target.Host)
	all := answerContainers(res.Answers)
	if len(all) < 2 {
		return ""
	}
	c := agent.ProbedContainer(d.Topology, d.Cloudflared, r)
	if c == nil {
		return ""
	}
	addr := ""
	if r.Connect != nil && r.Connect.Address != "" {
		addr, _, _ = net.SplitHostPort(r.Connect.Address)
	} else if r.Connect != nil && len(r.Connect.Attempts) > 0 {
		addr, _, _ = net.SplitHostPort(r.Connect.Attempts[len(r.Connect.Attempts)-1].Address)
	}
	var others []string
	for _, o := range all {
		if o.ID != c.ID {
			others = append(others, o.Name+" ("+o.State+")")
		}
	}
	evidence["replica"] = c.Name
	evidence["replica_state"] = c.State
	if addr != "" {
		evidence["replica_address"] = addr
	}
	evidence["other_replicas"] = strings.Join(others, ", ")
	at := ""
	if addr != "" {
		at = " at " + addr
	}
	return fmt.Sprintf(" %d containers answer to %q; this probe reached replica %s (%s%s); the others: %s.",
		len(all), r.Target.Host, c.Name, c.State, at, strings.Join(others, ", "))
}
