package agent

import (
	"context"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// IngressOptions configures how the ingress configuration is found.
type IngressOptions struct {
	// ConfigPath is a config file given by the user (--config). It wins over
	// the file found from cloudflared's command line and mounts.
	ConfigPath string
}

func collectIngress(ctx context.Context, opts Options, s *Snapshot) {
	_ = ctx
	if opts.Ingress.ConfigPath == "" {
		s.Ingress.Missing = "no configuration found: pass --config FILE"
		return
	}
	cfg, problems, err := tunnelcfg.Load(opts.Ingress.ConfigPath)
	if err != nil {
		s.Ingress.Missing = err.Error()
		return
	}
	problems = append(problems, tunnelcfg.Validate(cfg)...)
	s.Ingress.File, s.Ingress.FileProblems = cfg, problems
	s.Ingress.Config, s.Ingress.Problems = cfg, problems
	s.Ingress.Notes = append(s.Ingress.Notes, "ingress read from "+opts.Ingress.ConfigPath)
}
