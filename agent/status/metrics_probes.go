package status

import (
	"strconv"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// probePhases exposes each origin probe's phase durations (dns, connect,
// tls, first_byte, total) by rule: where the time goes when an origin slows
// down before it times out.
func probePhases(s *agent.Snapshot) family {
	f := family{name: "tunneldoctor_probe_phase_seconds", help: "Duration of each phase of the last origin probe, by ingress rule.", typ: "gauge"}
	for _, r := range probeResults(s) {
		add := func(phase string, d time.Duration) {
			f.samples = append(f.samples, sample{labels: []label{
				{"rule", strconv.Itoa(r.Target.Rule)}, {"hostname", r.Target.Hostname}, {"phase", phase},
			}, value: d.Seconds()})
		}
		if r.DNS != nil {
			add("dns", r.DNS.Duration)
		}
		if r.Connect != nil {
			add("connect", r.Connect.Duration)
		}
		if r.TLS != nil {
			add("tls", r.TLS.Duration)
		}
		if r.HTTP != nil && r.HTTP.Status != 0 {
			add("first_byte", r.HTTP.TTFB)
		}
		add("total", r.Total)
	}
	return f
}

func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}
