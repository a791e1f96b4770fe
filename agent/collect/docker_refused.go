package collect

import (
	"context"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
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
			got, err := cl.docker.Logs(ctx, c.ID, refusedLogLines, refusedLogBytes)
			if err != nil {
				if d.LogErrors == nil {
					d.LogErrors = map[string]string{}
				}
				d.LogErrors[c.ID] = dockernet.RedactText(err.Error())
				continue
			}
			if d.Logs == nil {
				d.Logs = map[string][]string{}
			}
			d.Logs[c.ID] = dockernet.Redact(got, c)
		}
	}
}
