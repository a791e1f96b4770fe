package collect_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// collectHostile runs the real collector against a hostile daemon, Docker
// only, and judges the snapshot with every check.
func collectHostile(t *testing.T, o dockertest.HostileOptions) (*agent.Snapshot, map[string]agent.Finding) {
	t.Helper()
	d := dockertest.StartHostile(t, o)
	opts := collect.Options{}
	opts.Docker.Host = d.Host
	opts.Docker.Timeout = 20 * time.Second
	opts.Docker.SelfHints = []dockernet.Hint{}
	opts.Cloudflared.Disabled = "cloudflared not used in this test"
	opts.Probes.Disabled = "probes not used in this test"
	opts.Edge.Disabled = "edge not used in this test"
	s := collect.Snapshot(context.Background(), opts)
	found := map[string]agent.Finding{}
	for _, f := range agent.Run(s, checks.All()) {
		if f.Severity != agent.Skipped && f.Severity != agent.Pass {
			found[f.Code] = f
		}
	}
	return s, found
}

// TestCollectHostileContainerList: an endless containers list is cut at
// its bound and becomes AGT105 (not AGT101 "unreachable"); the network
// checks are skipped with the reason.
func TestCollectHostileContainerList(t *testing.T) {
	s, found := collectHostile(t, dockertest.HostileOptions{List: dockertest.Endless})
	if len(s.Docker.TooLarge) != 1 || s.Docker.TooLarge[0].What != "containers list" {
		t.Fatalf("too large = %+v", s.Docker.TooLarge)
	}
	if !strings.Contains(s.Docker.Missing, "containers list exceeded 16 MiB") || s.Docker.Failure != "" {
		t.Errorf("missing %q, failure %q", s.Docker.Missing, s.Docker.Failure)
	}
	f, ok := found["AGT105"]
	if !ok || !strings.Contains(f.Message, "Docker API answer too large: containers list exceeded 16 MiB") {
		t.Errorf("AGT105 = %+v (found %v)", f, keys(found))
	}
	if _, ok := found["AGT101"]; ok {
		t.Error("AGT101 also reported: Docker answered, too much")
	}
}

// TestCollectHostileInspect: an endless inspect of cloudflared is cut;
// the topology stays, and AGT105 names the inspect.
func TestCollectHostileInspect(t *testing.T) {
	s, found := collectHostile(t, dockertest.HostileOptions{Inspect: dockertest.Endless})
	if s.Docker.Topology == nil || s.Docker.Cloudflared == nil {
		t.Fatalf("topology %v, cloudflared %v (missing %q)", s.Docker.Topology, s.Docker.Cloudflared, s.Docker.Missing)
	}
	f, ok := found["AGT105"]
	if !ok || !strings.Contains(f.Message, "container inspect exceeded 4 MiB") {
		t.Errorf("AGT105 = %+v (found %v)", f, keys(found))
	}
}

func keys(m map[string]agent.Finding) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
