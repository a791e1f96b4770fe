package agent

import "context"

func collectProbes(ctx context.Context, opts Options, s *Snapshot) {
	_ = ctx
	if why := opts.Probes.Disabled; why != "" {
		s.Probes.Missing = why
		return
	}
	s.Probes.Missing = "probes facts are not collected yet by this build"
}
