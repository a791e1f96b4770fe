package checks

import (
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// TestHostModeNoLocalhostNoise: cloudflared installed on the host (no
// cloudflared container, its metrics server answered) with origins in
// Docker: localhost rules are no ING022, and the missing cloudflared
// container is no AGT102. The same facts with a cloudflared container
// missing and no metrics server still report both.
func TestHostModeNoLocalhostNoise(t *testing.T) {
	build := func(metrics string) *agent.Snapshot {
		s := ingressSnapshot(t, "ingress:\n  - hostname: app.example.com\n    service: http://localhost:8080\n  - service: http_status:404\n")
		s.Docker.Topology = &dockernet.Topology{}
		s.Docker.Discovery = agent.Discovery{Error: "no container runs a cloudflared image or entrypoint"}
		s.Docker.Missing = "cloudflared container not identified: " + s.Docker.Discovery.Error
		s.Cloudflared.MetricsAddr = metrics
		return s
	}
	host := agent.Run(build("127.0.0.1:40241"), All())
	if !build("127.0.0.1:40241").HostMode() {
		t.Fatal("not host mode")
	}
	for _, code := range []string{"ING022", "AGT102"} {
		if fs := findingsOf(host, code); len(fs) > 0 && fs[0].Severity != agent.Skipped {
			t.Errorf("host mode: %s reported: %+v", code, fs[0])
		}
	}
	docker := agent.Run(build(""), All())
	for _, code := range []string{"ING022", "AGT102"} {
		if fs := findingsOf(docker, code); len(fs) == 0 || fs[0].Severity == agent.Skipped {
			t.Errorf("without a host cloudflared %s is missing", code)
		}
	}
}
