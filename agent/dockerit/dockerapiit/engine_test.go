// Package dockerapiit tests the read-only Engine API client
// (dockernet/dockerapi) against the real Docker daemon: topology, inspect,
// logs (multiplexed and TTY), memory stats and the event stream, through the
// client's exported API only. It holds tests only; the client's request
// guard is tested without a daemon in dockerapi itself.
package dockerapiit

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockerapi"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

func TestMain(m *testing.M) { os.Exit(dockertest.Main(m)) }

// TestRealTopology reads a real daemon: a user-defined network with
// cloudflared, two origins (one with an alias), a sidecar in cloudflared's
// namespace, and a container on another network.
func TestRealTopology(t *testing.T) {
	dockertest.RequireDocker(t)
	origin := dockertest.OriginImage(t, "")
	cfImage := dockertest.CloudflaredImage(t, "")
	apps := dockertest.Network(t, "apps", dockertest.NetworkOptions{})
	other := dockertest.Network(t, "other", dockertest.NetworkOptions{Internal: true})

	cf := dockertest.Run(t, dockertest.Spec{Name: "cf", Image: cfImage, Network: apps,
		Args: []string{"tunnel", "--no-autoupdate", "run"}, Env: []string{"TUNNEL_TOKEN=c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4OTA="},
		ExtraHosts: []string{"host.docker.internal:host-gateway"}})
	web := dockertest.Run(t, dockertest.Spec{Name: "web", Image: origin, Network: apps, Aliases: []string{"shop"},
		Args: []string{"--listen", ":8080", "--say", "hello from web", "--say", "password=hunter2hunter2"}})
	side := dockertest.Run(t, dockertest.Spec{Name: "side", Image: origin, Network: "container:" + cf.Name,
		Args: []string{"--listen", ":9090"}})
	db := dockertest.Run(t, dockertest.Spec{Name: "db", Image: origin, Network: other, Memory: "64m"})
	for _, c := range []dockertest.Container{cf, web, side, db} {
		dockertest.WaitState(t, c.ID, "running", 20*time.Second)
	}

	cli, err := dockerapi.Dial("")
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := cli.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	info, err := cli.Info(ctx)
	if err != nil || info.Version == "" || info.Desktop || info.Podman {
		t.Errorf("engine info: %+v %v", info, err)
	}
	topo, err := dockernet.Load(ctx, cli)
	if err != nil {
		t.Fatal(err)
	}
	cfc := topo.Container(cf.Name)
	if cfc == nil || !cfc.LooksLikeCloudflared() {
		t.Fatalf("cloudflared stand-in not found or not recognised: %+v", cfc)
	}
	topo.Inspect(ctx, cli, cf.ID, web.ID, side.ID, db.ID)
	if got := topo.Calls; got != 2+4 {
		t.Errorf("topology calls = %d, want 6 (2 lists + 4 inspects)", got)
	}

	// Inspect data: env redacted, raw env for discovery only.
	if strings.Contains(strings.Join(cfc.Env, ","), "c2VjcmV0") || cfc.RawEnv() == nil {
		t.Errorf("env: %v", cfc.Env)
	}
	if len(cfc.ExtraHosts) != 1 || cfc.Entrypoint[0] != "/usr/local/bin/cloudflared" {
		t.Errorf("extra hosts %v entrypoint %v", cfc.ExtraHosts, cfc.Entrypoint)
	}
	if dbc := topo.Container(db.Name); dbc.MemoryLimit != 64<<20 {
		t.Errorf("memory limit = %d", dbc.MemoryLimit)
	}
	if n := topo.Network(other); n == nil || !n.Internal {
		t.Errorf("network %s should be internal: %+v", other, n)
	}

	// Reasoning on real data.
	checks := []struct {
		host string
		kind dockernet.ResolveKind
		who  string
	}{
		{web.Name, dockernet.ResolveContainers, web.Name},
		{"shop", dockernet.ResolveContainers, web.Name}, // alias, known from inspect
		{web.ID[:12], dockernet.ResolveContainers, web.Name},
		{db.Name, dockernet.ResolveUpstream, ""},
		{"localhost", dockernet.ResolveLoopback, side.Name},
		{"host.docker.internal", dockernet.ResolveHostGateway, ""},
	}
	for _, c := range checks {
		r := topo.Resolve(cfc, c.host)
		var who []string
		for _, a := range r.Answers {
			who = append(who, a.Container.Name)
		}
		if r.Kind != c.kind || strings.Join(who, ",") != c.who {
			t.Errorf("Resolve(%s) = %s %v; want %s %s", c.host, r.Kind, who, c.kind, c.who)
		}
	}
	if r := topo.Resolve(cfc, db.Name); len(r.Elsewhere) != 1 || r.Elsewhere[0].Network.Name != other {
		t.Errorf("db should be found elsewhere, on %s: %+v", other, r.Elsewhere)
	}
	if !topo.SameNamespace(topo.Container(side.Name), cfc) {
		t.Error("the sidecar shares cloudflared's namespace")
	}

	// Logs: demultiplexed, ordered, bounded, and redactable.
	lines, err := cli.Logs(ctx, web.ID, 10, 4096)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(lines, "\n")
	if !strings.Contains(all, "hello from web") || strings.ContainsRune(all, '\x01') {
		t.Errorf("logs not demultiplexed: %q", all)
	}
	if red := strings.Join(redact.New(redact.Options{}).Strings(lines), "\n"); strings.Contains(red, "hunter2") {
		t.Errorf("password left in redacted logs: %q", red)
	}
	short, err := cli.Logs(ctx, web.ID, 10, 20)
	if err != nil || len(strings.Join(short, "\n")) > 20 {
		t.Errorf("maxBytes not honoured: %q %v", short, err)
	}

	// A TTY container's log is one raw stream: no frame headers to strip.
	tty := dockertest.Run(t, dockertest.Spec{Name: "tty", Image: origin, Network: apps, TTY: true,
		Args: []string{"--say", "raw line one", "--say", "raw line two"}})
	dockertest.WaitState(t, tty.ID, "running", 20*time.Second)
	var raw []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if raw, err = cli.Logs(ctx, tty.ID, 10, 4096); err == nil && len(raw) >= 2 {
			break
		}
	}
	if err != nil || len(raw) < 2 || raw[0] != "raw line one" || raw[1] != "raw line two" {
		t.Errorf("TTY logs: %q %v", raw, err)
	}

	mem, err := cli.Memory(ctx, db.ID)
	if err != nil {
		t.Fatal(err)
	}
	if mem.Limit != 64<<20 || mem.Usage == 0 {
		t.Errorf("memory sample: %+v", mem)
	}
	if cli.Calls() < topo.Calls+5 {
		t.Errorf("client counted %d calls, fewer than made", cli.Calls())
	}
}
