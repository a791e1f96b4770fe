package collect

import (
	"context"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// Prober probes one run's targets. It returns a result for each target it
// has one for (fresh, or a reused earlier one marked InFlight) and lists the
// rest as pending: probes still running that never completed.
type Prober interface {
	Probe(ctx context.Context, targets []probe.Target, o probe.Options) ([]probe.Result, []probe.Pending)
}

// collectProbes reaches every origin of the live ingress the way cloudflared
// would. It needs the ingress; without it the probes are a Gap.
func collectProbes(ctx context.Context, opts Options, s *agent.Snapshot) {
	if why := opts.Probes.Disabled; why != "" {
		s.Probes.Missing = why
		return
	}
	if s.Ingress.Config == nil {
		why := "no ingress configuration to probe"
		if s.Ingress.Missing != "" {
			why += " (" + s.Ingress.Missing + ")"
		}
		s.Probes.Missing = why
		return
	}
	if !opts.Probes.Anywhere && !cloudflaredFound(s) {
		s.Probes.Missing = "cloudflared was not found (no container, no metrics server), so a probe from here would not show what cloudflared sees; " +
			"run tunneldoctor beside cloudflared (compose: `network_mode: service:cloudflared`), or pass --probe-anywhere to probe from this machine"
		return
	}
	targets, skipped := probe.Targets(s.Ingress.Config)
	s.Probes.NotProbed = skipped
	s.Probes.Vantage = probeVantage(s)
	log := opts.Logger.With().Str("source", agent.SourceProbes).Logger()
	log.Debug().Int("targets", len(targets)).Str("vantage", s.Probes.Vantage).Msg("probing origins")
	po := probe.Options{MaxTime: opts.Probes.MaxTime, Concurrency: opts.Probes.Concurrency, Resolver: opts.Probes.Resolver}
	if p := opts.Probes.Prober; p != nil {
		s.Probes.Results, s.Probes.Pending = p.Probe(ctx, targets, po)
	} else {
		s.Probes.Results = probe.Run(ctx, targets, po)
	}
	for _, r := range s.Probes.Results {
		ev := log.Debug().Int("rule", r.Target.Rule).Str("service", r.Target.Service).
			Str("cause", string(r.Cause)).Dur("total", r.Total)
		if !r.InFlight.IsZero() {
			ev = ev.Time("reused_from", r.Started).Time("in_flight_since", r.InFlight)
		}
		ev.Msg("probed origin")
	}
	for _, p := range s.Probes.Pending {
		log.Debug().Int("rule", p.Target.Rule).Str("service", p.Target.Service).
			Time("in_flight_since", p.Since).Msg("origin probe still running, no result yet")
	}
}

// probeVantage tells whose namespace the probes ran from, as the Docker
// facts (collected first) know it. Without Docker, or without a cloudflared
// container, nobody can tell.
func probeVantage(s *agent.Snapshot) string {
	switch {
	case s.HostMode():
		return hostVantage(s)
	case !s.Docker.Available() || s.Docker.Cloudflared == nil:
		return agent.VantageUnknown
	case s.Docker.SharesNamespace:
		return agent.VantageCloudflared
	}
	return agent.VantageOwn
}

// cloudflaredFound reports whether this run located cloudflared, through
// Docker or through its metrics server: only then do probes have a known
// vantage point (its namespace, ours beside it, or the host it runs on).
func cloudflaredFound(s *agent.Snapshot) bool {
	return (s.Docker.Available() && s.Docker.Cloudflared != nil) || s.Cloudflared.MetricsAddr != ""
}
