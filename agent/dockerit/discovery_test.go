package dockerit

import (
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockerapi"
)

// TestDiscoveryFromSharedNamespace: tunneldoctor runs with
// --network container:<cloudflared>; discovery needs no name. The hints
// are what tunneldoctor would read from /proc inside that container:
// its own ID from the cgroup (v1), or only cloudflared's ID from the
// /etc/hostname mount (cgroup v2 with a private cgroup namespace).
func TestDiscoveryFromSharedNamespace(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "ns", dockertest.NetworkOptions{})
	cf := startCloudflared(t, im, net)
	startCloudflared(t, im, net) // a second cloudflared must not confuse it
	web := origin(t, im.origin, net, nil)
	td := origin(t, im.origin, "container:"+cf.Name, []string{"--listen", ":9999"})

	for name, hints := range map[string][]dockernet.Hint{
		"cgroup":    {{ID: td.ID, Source: "cgroup"}, {ID: cf.ID, Source: "mountinfo"}},
		"mountinfo": {{ID: cf.ID, Source: "mountinfo"}, {ID: cf.ID[:12], Source: "hostname"}},
	} {
		r := diagnose(t, setup{hints: hints, services: []string{"http://" + web.Name + ":8080"}})
		d := r.snap.Docker
		if d.Cloudflared == nil || d.Cloudflared.ID != cf.ID || d.Discovery.How != "shares its network namespace" || !d.SharesNamespace {
			t.Fatalf("%s: discovery = %+v, cloudflared %v, shares %v\n%s", name, d.Discovery, dockernet.Describe(d.Cloudflared), d.SharesNamespace, r.dump())
		}
		r.none(t, "NET009")
		if name == "cgroup" && (d.Self == nil || d.Self.ID != td.ID) {
			t.Errorf("self = %v, want %s", dockernet.Describe(d.Self), td.Name)
		}
	}
}

func TestDiscoveryByNameAndErrors(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "disc", dockertest.NetworkOptions{})
	cf1 := startCloudflared(t, im, net)
	cf2 := startCloudflared(t, im, net)
	web := origin(t, im.origin, net, nil)
	svc := []string{"http://" + web.Name + ":8080"}

	r := diagnose(t, setup{cloudflared: cf2.ID[:12], services: svc})
	if d := r.snap.Docker; d.Cloudflared == nil || d.Cloudflared.Name != cf2.Name || d.Discovery.How != "--cloudflared" {
		t.Fatalf("--cloudflared by short ID: %+v", d.Discovery)
	}

	// Several running: an error that lists them, and the network checks
	// are skipped with that reason instead of guessing.
	r = diagnose(t, setup{services: svc})
	f := r.one(t, "AGT102", agent.Error)
	contains(t, "AGT102", f.Message, cf1.Name, cf2.Name, "containers run cloudflared")
	contains(t, "AGT102 fix", f.Fix, "--cloudflared ")
	for _, g := range r.findings {
		if g.Code == "NET001" && g.Severity != agent.Skipped {
			t.Errorf("NET001 ran without a cloudflared: %s", g.Message)
		}
	}

	r = diagnose(t, setup{cloudflared: "tdtest-no-such-container", services: svc})
	f = r.one(t, "AGT102", agent.Error)
	contains(t, "AGT102", f.Message, "tdtest-no-such-container", "no such container", cf1.Name)
}

func TestDockerUnreachableIsAFinding(t *testing.T) {
	t.Parallel()
	r := diagnose(t, setup{host: "unix:///nonexistent/tdtest-docker.sock", services: []string{"http://web:8080"}})
	f := r.one(t, "AGT101", agent.Warn)
	contains(t, "AGT101", f.Message, "/nonexistent/tdtest-docker.sock")
	if r.snap.Docker.Available() {
		t.Error("docker facts must be missing")
	}
	if !strings.Contains(r.snap.Docker.Missing, "unreachable") {
		t.Errorf("missing reason: %q", r.snap.Docker.Missing)
	}
}

// TestLentClientCountsPerRun: watch mode lends one client to every run;
// each run still reports its own number of calls.
func TestLentClientCountsPerRun(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "lend", dockertest.NetworkOptions{})
	cf := startCloudflared(t, im, net)
	web := origin(t, im.origin, net, nil)
	cli, err := dockerapi.Dial("")
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	var counts []int
	for i := 0; i < 2; i++ {
		r := diagnoseWith(t, setup{cloudflared: cf.Name, services: []string{"http://" + web.Name + ":8080"}}, cli)
		counts = append(counts, r.snap.Docker.Calls)
	}
	if counts[0] == 0 || counts[0] != counts[1] {
		t.Errorf("calls per run = %v, want the same non-zero count for both runs", counts)
	}
}
