package collect

import (
	"context"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// maxUpstreamOrigins bounds how many 5xx origins get their log read and
// their upstreams followed in one run.
const maxUpstreamOrigins = 8

// collectOriginUpstreams runs after the probes: an origin that answered
// 502/503/504 itself is usually a proxy whose own upstream is down, and its
// log names it. It reads the log of each such origin container (once), and
// inspects the containers the named upstreams are (one hop, by IP or name
// from the origin's namespace), with their log when they look unwell. The
// check (ORG008) reads the lines and judges.
func collectOriginUpstreams(ctx context.Context, opts Options, s *agent.Snapshot, cl *clients) {
	d := &s.Docker
	if d.Topology == nil || d.Cloudflared == nil || cl.docker == nil || len(s.Probes.Results) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, dockerTimeout(opts.Docker))
	defer cancel()
	defer cl.countDockerCalls(d)
	lines := opts.Docker.LogLines
	if lines == 0 {
		lines = originLogLines
	}
	if lines < 0 {
		return
	}
	topo := d.Topology
	done := map[string]bool{}
	for _, r := range s.Probes.Results {
		if len(done) >= maxUpstreamOrigins {
			break
		}
		if r.HTTP == nil || r.HTTP.Status < 502 || r.HTTP.Status > 504 {
			continue
		}
		o := agent.ProbedContainer(topo, d.Cloudflared, r)
		if o == nil || done[o.ID] {
			continue
		}
		done[o.ID] = true
		// Read again even when an earlier collector read this log: that was
		// before the probes, and the line naming the upstream is written
		// when the 502 is served.
		readOriginLogs(ctx, cl, d, o, lines, originLogBytes)
		var ids []string
		for _, u := range agent.UpstreamsInLog(d.Logs[o.ID]) {
			res := topo.Resolve(o, u.Host)
			as := res.Answers
			if len(as) == 0 {
				as = res.Elsewhere
			}
			for _, a := range as {
				if a.Container != nil && a.Container.ID != o.ID {
					ids = append(ids, a.Container.ID)
				}
			}
		}
		topo.Inspect(ctx, cl.docker, ids...)
		for _, id := range ids {
			c := topo.Container(id)
			if _, ok := d.Logs[id]; !ok && c != nil && unwell(c, s.Taken) {
				readOriginLogs(ctx, cl, d, c, lines, originLogBytes)
			}
		}
	}
	d.Unknown = appendNew(d.Unknown, topo.Unknown...)
}
