package checks

import (
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

func TestSidecarStranded(t *testing.T) {
	cf := &dockernet.Container{ID: "cf2", Name: "proj-cloudflared-1", State: "running",
		Endpoints: []dockernet.Endpoint{{NetworkName: "proj_origins", IPv4: "172.20.0.5"}}}
	compose := agent.SidecarFacts{Known: true, Shared: true, Container: "proj-tunneldoctor-1", Project: "proj", Service: "tunneldoctor"}
	tests := []struct {
		name     string
		sidecar  agent.SidecarFacts
		docker   agent.DockerFacts
		want     bool
		inFix    string
		noAGT101 bool
	}{
		{"one-shot run: not known", agent.SidecarFacts{}, agent.DockerFacts{Cloudflared: cf}, false, "", false},
		{"same namespace", with(compose, "172.20.0.5"), agent.DockerFacts{Cloudflared: cf}, false, "", false},
		{"restarted cloudflared, socket proxy unreachable: only loopback left",
			compose, agent.DockerFacts{Gap: agent.Gap{Missing: "unreachable"}, Failure: "Docker API at tcp://socket-proxy:2375 unreachable"},
			true, "docker compose up -d --force-recreate tunneldoctor", true},
		{"re-created cloudflared, socket mounted: other addresses",
			func() agent.SidecarFacts { s := with(compose, "172.20.0.4"); s.JoinedID = "cf1"; return s }(), agent.DockerFacts{Cloudflared: cf},
			true, "docker-compose up -d --force-recreate tunneldoctor", false},
		{"plain docker run", agent.SidecarFacts{Known: true, Shared: true, Container: "td"}, agent.DockerFacts{Cloudflared: cf},
			true, "docker rm -f td", false},
		{"not a sidecar (on the host)", agent.SidecarFacts{Known: true, Addrs: []string{"10.0.0.2"}}, agent.DockerFacts{Cloudflared: cf}, false, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &agent.Snapshot{Sidecar: tc.sidecar, Docker: tc.docker}
			fs := agent.Run(s, []agent.Check{agtSidecarStranded(), agtDockerUnreachable()})
			got := map[string]agent.Finding{}
			for _, f := range fs {
				got[f.Code] = f
			}
			f, ok := got["AGT104"]
			if ok != tc.want {
				t.Fatalf("AGT104 found = %v, want %v (%+v)", ok, tc.want, fs)
			}
			if ok && (f.Severity != agent.Error || !strings.Contains(f.Fix, tc.inFix)) {
				t.Errorf("AGT104 %v, fix %q; want error with %q", f.Severity, f.Fix, tc.inFix)
			}
			if _, has := got["AGT101"]; tc.noAGT101 && has {
				t.Error("stranded: AGT101 (mount the socket) must not be reported, its fix would be wrong")
			}
		})
	}
}

func with(s agent.SidecarFacts, addrs ...string) agent.SidecarFacts {
	s.Addrs = addrs
	return s
}
