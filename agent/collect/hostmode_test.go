package collect

import (
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// TestHostModeVantage: with cloudflared on the host, probes see what it
// sees only when they run in its network namespace. A metrics server that
// answered on loopback proves that (loopback is per namespace); reached at
// another address it does not: tunneldoctor in a container of its own then
// probes from its own namespace, and elsewhere nobody can tell.
func TestHostModeVantage(t *testing.T) {
	own := &dockernet.Container{ID: "c-td", Name: "tunneldoctor", State: "running", NetworkMode: "bridge"}
	hostNet := &dockernet.Container{ID: "c-td", Name: "tunneldoctor", State: "running", NetworkMode: "host"}
	for _, tc := range []struct {
		name, metrics string
		self          *dockernet.Container
		want          string
	}{
		{"on the host, loopback", "127.0.0.1:20241", nil, agent.VantageCloudflared},
		{"on the host, ::1", "[::1]:20241", nil, agent.VantageCloudflared},
		{"network_mode host, loopback", "127.0.0.1:20241", hostNet, agent.VantageCloudflared},
		{"own container, host address", "172.17.0.1:20241", own, agent.VantageOwn},
		{"on the host, another address", "192.168.1.5:20241", nil, agent.VantageUnknown},
		{"network_mode host, another address", "192.168.1.5:20241", hostNet, agent.VantageUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &agent.Snapshot{}
			s.Docker.Topology = dockernet.NewTopology(nil, nil)
			s.Docker.Discovery = agent.Discovery{Error: "no container runs a cloudflared image or entrypoint"}
			s.Docker.Missing = "cloudflared container not identified: " + s.Docker.Discovery.Error
			s.Docker.Self = tc.self
			s.Cloudflared.MetricsAddr = tc.metrics
			if !s.HostMode() {
				t.Fatal("not host mode")
			}
			if got := probeVantage(s); got != tc.want {
				t.Errorf("vantage = %q, want %q", got, tc.want)
			}
			collectHostMode(s)
			if s.Docker.Missing != "" || !s.Docker.Available() {
				t.Errorf("host mode: Docker still missing: %q", s.Docker.Missing)
			}
			if tc.want != agent.VantageCloudflared && s.Docker.HostAddrs != nil {
				t.Errorf("host addresses read from another namespace: %v", s.Docker.HostAddrs)
			}
		})
	}
	// Not host mode (a cloudflared container exists): the usual vantage.
	s := &agent.Snapshot{}
	s.Docker.Topology = dockernet.NewTopology(nil, nil)
	s.Docker.Cloudflared = &dockernet.Container{ID: "c-cf", Name: "cloudflared"}
	s.Cloudflared.Container, s.Cloudflared.MetricsAddr = "cloudflared", "127.0.0.1:20241"
	if got := probeVantage(s); got != agent.VantageOwn {
		t.Errorf("container mode vantage = %q", got)
	}
}
