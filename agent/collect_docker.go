package agent

import "context"

func collectDocker(ctx context.Context, opts Options, s *Snapshot) {
	_ = ctx
	if why := opts.Docker.Disabled; why != "" {
		s.Docker.Missing = why
		return
	}
	s.Docker.Missing = "docker facts are not collected yet by this build"
}
