package agent

import "context"

func collectCloudflared(ctx context.Context, opts Options, s *Snapshot) {
	_ = ctx
	if why := opts.Cloudflared.Disabled; why != "" {
		s.Cloudflared.Missing = why
		return
	}
	s.Cloudflared.Missing = "cloudflared facts are not collected yet by this build"
}
