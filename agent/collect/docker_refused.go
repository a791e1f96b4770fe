package collect

import (
	"context"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Bounds on the log read of an origin that refused a probe: enough lines to
// still hold a server's startup line ("Running on http://127.0.0.1:5000")
// under a little request logging.
const (
	refusedLogLines = 200
	refusedLogBytes = 16 << 10
)

// collectRefusedOriginLogs runs after the probes: for each origin container
// that refused a probe although it is running, it reads the last log lines
// (redacted) into DockerFacts.Logs, where PRB012 looks for the line that
// says the app listens on 127.0.0.1 only. One read per container, only for
// refusals: a healthy run makes no extra call.
func collectRefusedOriginLogs(ctx context.Context, opts Options, s *agent.Snapshot, cl *clients) {
	d := &s.Docker
	if d.Topology == nil || d.Cloudflared == nil || cl.docker == nil || opts.Docker.LogLines < 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, dockerTimeout(opts.Docker))
	defer cancel()
	defer cl.countDockerCalls(d)
	seen := map[string]bool{}
	for _, r := range s.Probes.Results {
		if r.Cause != probe.CauseRefused || r.Target.Host == "" {
			continue
		}
		for _, a := range d.Topology.Resolve(d.Cloudflared, r.Target.Host).Running() {
			c := a.Container
			if c == nil || c.ID == d.Cloudflared.ID || seen[c.ID] || d.Logs[c.ID] != nil {
				continue
			}
			seen[c.ID] = true
			readOriginLogs(ctx, cl, d, c, refusedLogLines, refusedLogBytes)
		}
	}
}

// inspectLoopbackCandidates runs when a rule points at localhost: the
// containers that could be what the user meant (those sharing cloudflared's
// namespace, and the members of its user-defined networks) are inspected,
// once each, so NET002 and PRB012 know the ports they expose. Without a
// localhost rule it makes no call.
func inspectLoopbackCandidates(ctx context.Context, opts Options, s *agent.Snapshot, cl *clients) {
	d := &s.Docker
	if d.Topology == nil || d.Cloudflared == nil || cl.docker == nil || s.Ingress.Config == nil {
		return
	}
	loopback := false
	for _, r := range s.Ingress.Config.Rules {
		if svc, err := tunnelcfg.ParseService(r.Service); err == nil && svc.Host != "" && dockernet.IsLoopbackHost(svc.Host) {
			loopback = true
		}
	}
	if !loopback {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, dockerTimeout(opts.Docker))
	defer cancel()
	defer cl.countDockerCalls(d)
	topo, cf := d.Topology, d.Cloudflared
	seen := map[string]bool{cf.ID: true}
	var ids []string
	add := func(c *dockernet.Container) {
		if c != nil && !c.Inspected && !seen[c.ID] && c.Running() {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	for _, a := range topo.Resolve(cf, "localhost").Answers {
		add(a.Container)
	}
	for _, n := range topo.NamespaceNetworks(topo.Namespace(cf)) {
		if !n.IsDefaultBridge() {
			for _, m := range topo.Members(n) {
				add(m)
			}
		}
	}
	topo.Inspect(ctx, cl.docker, ids...)
	d.Unknown = appendNew(d.Unknown, topo.Unknown...)
}
