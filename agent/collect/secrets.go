package collect

import (
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// runRedactor is the caller's redactor, or a new one for cloudflared's
// secret flags.
func runRedactor(opts Options) *redact.Redactor {
	if opts.Redactor != nil {
		return opts.Redactor
	}
	return tunnelcfg.NewRedactor()
}

// learnSecrets registers what the Docker collector found secret: the
// secret-named env values of every inspected container (TUNNEL_TOKEN and
// its decoded secret, DB_PASSWORD...) and the values of secret flags on
// cloudflared's command line (--token, --api-key, --session-token...).
func learnSecrets(r *redact.Redactor, s *agent.Snapshot) {
	r.Add(agent.SnapshotSecrets(s)...)
	if c := s.Docker.Cloudflared; c != nil {
		r.AddArgs(append(append([]string(nil), c.Entrypoint...), c.Cmd...))
		r.AddEnv(c.RawEnv())
	}
	if s.Docker.Topology != nil {
		for _, c := range s.Docker.Topology.Containers {
			r.AddArgs(append(append([]string(nil), c.Entrypoint...), c.Cmd...))
		}
	}
}

// benignEnv are variables whose values are too common to scrub from a
// container's log lines (scrubbing "/usr/bin" everywhere helps nobody).
func benignEnv(name string) bool {
	switch name {
	case "PATH", "HOME", "HOSTNAME", "LANG", "LC_ALL", "TZ", "PWD", "TERM", "SHLVL", "USER", "container":
		return true
	}
	return strings.HasPrefix(name, "LC_")
}

// containerRedactor is r plus every env value of c (not only the
// secret-named ones): quoted lines of a container's own log are where its
// configuration is most likely to be echoed.
func containerRedactor(r *redact.Redactor, c *dockernet.Container) *redact.Redactor {
	var values []string
	if c != nil {
		for _, kv := range c.RawEnv() {
			if name, v, ok := strings.Cut(kv, "="); ok && !benignEnv(name) {
				values = append(values, v)
			}
		}
	}
	return r.With(values...)
}
