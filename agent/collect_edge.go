package agent

import "context"

func collectEdge(ctx context.Context, opts Options, s *Snapshot) {
	_ = ctx
	if why := opts.Edge.Disabled; why != "" {
		s.Edge.Missing = why
		return
	}
	s.Edge.Missing = "edge facts are not collected yet by this build"
}
