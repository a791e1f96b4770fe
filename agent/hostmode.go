package agent

// HostMode reports whether cloudflared runs on the host, not in Docker:
// Docker answered and has no cloudflared container at all, yet a
// cloudflared metrics server answered (on this host's loopback, or at
// --metrics). Then localhost in a rule is the host, as cloudflared sees it,
// and the absence of a cloudflared container is no problem.
func (s *Snapshot) HostMode() bool {
	d := s.Docker
	return d.Topology != nil && d.Cloudflared == nil && len(d.Discovery.Candidates) == 0 &&
		s.Cloudflared.Container == "" && s.Cloudflared.MetricsAddr != ""
}
