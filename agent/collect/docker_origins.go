package collect

import (
	"context"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Bounds on what is read about unwell origins.
const (
	originLogLines = 10
	originLogBytes = 4 << 10
)

// collectDockerOrigins runs once the ingress rules are known: it inspects
// the containers the rules point at (each once, however many rules name
// it), and reads the last log lines and a memory sample of those that look
// unwell. The number of calls grows with the number of distinct origins,
// never with the number of rules.
func collectDockerOrigins(ctx context.Context, opts Options, s *agent.Snapshot, cl *clients) {
	d := &s.Docker
	if d.Topology == nil || (d.Cloudflared == nil && !s.HostMode()) || cl.docker == nil || s.Ingress.Config == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, dockerTimeout(opts.Docker))
	defer cancel()
	defer cl.countDockerCalls(d)
	topo, cf := d.Topology, d.Cloudflared

	var targets []string
	var unresolved bool
	if cf == nil { // host mode: what the host reaches (collect/hostmode.go)
		targets = hostOriginTargets(ctx, topo, cl.docker, s.Ingress.Config, d.HostAddrs)
	} else {
		targets, unresolved = originTargets(topo, cf, s.Ingress.Config)
	}
	if unresolved {
		// Some name has no running answer on cloudflared's networks. It may
		// be a network alias, which engines before API 1.44 list only in
		// inspect data, of a running container or of a stopped one (then THE
		// answer, just not running, whatever answers the name elsewhere):
		// inspect the members of cloudflared's networks once, then decide.
		topo.Inspect(ctx, cl.docker, topo.AliasCandidates(cf)...)
		targets, _ = originTargets(topo, cf, s.Ingress.Config)
	}
	topo.Inspect(ctx, cl.docker, targets...)
	d.Unknown = appendNew(d.Unknown, topo.Unknown...)

	lines := opts.Docker.LogLines
	if lines == 0 {
		lines = originLogLines
	}
	unwellCount := 0
	// Logged last, so "calls" is the run's total (the log and memory reads
	// of unwell origins included).
	defer func() {
		opts.Logger.Debug().Str("source", agent.SourceDocker).Int("origins", len(targets)).Bool("aliases_needed", unresolved).
			Int("unwell", unwellCount).Int("calls", cl.docker.Calls()-cl.callsBefore).Msg("docker origins inspected")
	}()
	for _, id := range targets {
		c := topo.Container(id)
		if c == nil || !unwell(c, s.Taken) {
			continue
		}
		unwellCount++
		if lines > 0 {
			readOriginLogs(ctx, cl, d, c, lines, originLogBytes)
		}
		if c.MemoryLimit > 0 && c.Running() {
			if m, err := cl.docker.Memory(ctx, c.ID); err == nil {
				if d.Memory == nil {
					d.Memory = map[string]dockernet.Memory{}
				}
				d.Memory[c.ID] = m
			}
		}
	}
}

// originTargets lists the containers the rules' hosts reach from
// cloudflared (or, when they reach none there, answer to elsewhere), and
// whether some host has no running answer on cloudflared's networks (see
// dockernet.Resolution.NeedsAliases).
func originTargets(topo *dockernet.Topology, cf *dockernet.Container, cfg *tunnelcfg.Config) (ids []string, unresolved bool) {
	seen := map[string]bool{}
	for _, r := range cfg.Rules {
		svc, err := tunnelcfg.ParseService(r.Service)
		if err != nil || svc.Host == "" {
			continue
		}
		res := topo.Resolve(cf, svc.Host)
		if res.Kind == dockernet.ResolveLoopback {
			continue
		}
		unresolved = unresolved || res.NeedsAliases()
		// A container on cloudflared's networks is the origin, running or
		// not; namesakes elsewhere matter only when there is none.
		as := res.Answers
		if len(as) == 0 {
			as = res.Elsewhere
		}
		for _, a := range as {
			if id := a.Container.ID; !seen[id] && id != cf.ID {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids, unresolved
}

// unwell reports whether an origin's log is worth quoting.
func unwell(c *dockernet.Container, now time.Time) bool {
	if !c.Running() || c.OOMKilled {
		return true
	}
	if c.Health != nil && c.Health.Status == "unhealthy" {
		return true
	}
	return c.RestartCount > 0 && !c.StartedAt.IsZero() && now.Sub(c.StartedAt) < 10*time.Minute
}

// readOriginLogs keeps the last lines of an origin's log, redacted with the
// run's secrets and the container's own env values; a failed read says why.
func readOriginLogs(ctx context.Context, cl *clients, d *agent.DockerFacts, c *dockernet.Container, lines, maxBytes int) {
	got, err := cl.docker.Logs(ctx, c.ID, lines, maxBytes)
	if err != nil {
		if d.LogErrors == nil {
			d.LogErrors = map[string]string{}
		}
		d.LogErrors[c.ID] = cl.redactor.String(err.Error())
		return
	}
	if d.Logs == nil {
		d.Logs = map[string][]string{}
	}
	d.Logs[c.ID] = containerRedactor(cl.redactor, c).Strings(got)
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		dup := false
		for _, have := range list {
			dup = dup || have == it
		}
		if !dup {
			list = append(list, it)
		}
	}
	return list
}
