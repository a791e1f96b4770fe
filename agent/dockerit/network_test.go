package dockerit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// TestHealthySetupHasNothingAboveInfo covers the Docker and ingress side
// only, in-process on the host: discovery, topology, the network and origin
// checks, redaction and the call budget. The cloudflared and probe
// collectors are off here (the cloudflared is the discovery stand-in, with
// no metrics server; names of test containers must not be looked up from
// the host). TestHealthyFromCloudflaredsNamespaceWithProbes is the same
// healthy setup with every local source on, from cloudflared's namespace.
func TestHealthySetupHasNothingAboveInfo(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "ok", dockertest.NetworkOptions{})
	cf := startCloudflared(t, im, net)
	web1 := origin(t, im.origin, net, nil)
	api := dockertest.Name("api") // unique: other tests on this daemon answer "api" too
	web2 := origin(t, im.health, net, nil, func(s *dockertest.Spec) { s.Aliases = []string{api} })
	dockertest.WaitState(t, web2.ID, "healthy", 30*time.Second)
	r := diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://" + web1.Name + ":8080", "http://" + api + ":8080"}})
	for _, f := range r.findings {
		if f.Severity > agent.Info {
			t.Errorf("healthy setup, yet:\n%s", r.dump())
			break
		}
	}
	f := r.one(t, "NET009", agent.Info)
	contains(t, "NET009 fix", f.Fix, `network_mode: "service:`, "--network container:"+cf.Name)
	if r.snap.Tunnel.Cloudflared != cf.Name || r.snap.Tunnel.ID != "6ff42ae2-765d-4adf-8112-31c55c1551ef" || r.snap.Tunnel.Account != "acc0unt" {
		t.Errorf("tunnel info from discovery and token: %+v", r.snap.Tunnel)
	}
	// Nothing the run keeps or logs holds the token (or its secret).
	facts, err := json.Marshal(r.snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{string(facts), r.log, r.dump()} {
		for _, secret := range []string{testToken, testToken[10:40], "bm90LWEtcmVhbC1zZWNyZXQtdmFsdWU", "not-a-real-secret-value"} {
			if strings.Contains(out, secret) {
				t.Fatalf("secret %q leaked:\n%s", secret, out)
			}
		}
	}
	if !strings.Contains(r.log, "docker topology read") || !strings.Contains(string(facts), "TUNNEL_TOKEN=[REDACTED]") {
		t.Errorf("the debug log and the facts were not checked:\n%s", r.log)
	}
	if r.snap.Docker.Calls > 12 {
		t.Errorf("%d Docker calls for 3 containers; want a handful", r.snap.Docker.Calls)
	}
}

func TestOriginOnAnotherNetwork(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	front := dockertest.Network(t, "front", dockertest.NetworkOptions{})
	back := dockertest.Network(t, "back", dockertest.NetworkOptions{})
	cf := startCloudflared(t, im, front)
	web := origin(t, im.origin, back, nil)
	r := diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://" + web.Name + ":8080"}})
	f := r.one(t, "NET001", agent.Error)
	contains(t, "NET001 message", f.Message, web.Name, back, front)
	// Both started with docker run: no compose file to edit.
	contains(t, "NET001 fix", f.Fix, "docker network connect "+back+" "+cf.Name, "`--network "+back+"`", "the command that creates "+cf.Name)
	if strings.Contains(f.Fix, "compose") {
		t.Errorf("NET001 fix for a docker run cloudflared names a compose file:\n%s", f.Fix)
	}
	r.none(t, "NET003")
}

func TestLocalhostInCloudflaredsContainer(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "lo", dockertest.NetworkOptions{})
	cf := startCloudflared(t, im, net)
	web := origin(t, im.origin, net, nil, func(s *dockertest.Spec) { s.Publish = []string{"127.0.0.1::8080"} })
	hostPort := strings.TrimPrefix(dockertest.Docker(t, "port", web.ID, "8080/tcp"), "127.0.0.1:")
	r := diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://localhost:" + hostPort}})
	f := r.one(t, "NET002", agent.Error)
	contains(t, "NET002 message", f.Message, "localhost:"+hostPort, web.Name, "publishes on the host")
	contains(t, "NET002 fix", f.Fix, "service: http://"+web.Name+":8080")

	// A sidecar in cloudflared's namespace makes localhost plausible: not
	// probed from there, whether it listens is unknown (info at most).
	origin(t, im.origin, "container:"+cf.Name, []string{"--listen", ":9000"})
	r = diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://localhost:9000"}})
	for _, f := range r.find("NET002") {
		if f.Severity > agent.Info {
			t.Errorf("unprobed sidecar, yet %s NET002: %s", f.Severity, f.Message)
		}
	}
}

func TestUnknownNameWithDidYouMean(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "dym", dockertest.NetworkOptions{})
	cf := startCloudflared(t, im, net)
	sfx := strings.TrimPrefix(dockertest.Name(""), dockertest.Prefix) // "-<random>": unique per run
	origin(t, im.origin, net, nil, func(s *dockertest.Spec) { s.Aliases = []string{"grafana" + sfx} })
	r := diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://grafna" + sfx + ":3000"}})
	f := r.one(t, "NET003", agent.Error)
	contains(t, "NET003 message", f.Message, `"grafna`+sfx+`"`, "Did you mean grafana"+sfx)
	contains(t, "NET003 fix", f.Fix, "service: http://grafana"+sfx+":3000")
}

func TestCloudflaredOnDefaultBridgeOnly(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	cf := startCloudflared(t, im, "bridge")
	web := origin(t, im.origin, "bridge", nil)
	r := diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://" + web.Name + ":8080"}})
	f := r.one(t, "NET004", agent.Error)
	contains(t, "NET004", f.Message+f.Fix, "default bridge", "docker network connect tunnel "+cf.Name)
}

func TestCloudflaredOnInternalNetworksOnly(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "int", dockertest.NetworkOptions{Internal: true})
	cf := startCloudflared(t, im, net)
	web := origin(t, im.origin, net, nil)
	r := diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://" + web.Name + ":8080"}})
	f := r.one(t, "NET005", agent.Error)
	contains(t, "NET005", f.Message+f.Fix, net, "docker network connect tunnel-egress "+cf.Name)
	r.none(t, "NET001")
}

func TestICCDisabled(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "icc", dockertest.NetworkOptions{ICCDisabled: true})
	cf := startCloudflared(t, im, net)
	web := origin(t, im.origin, net, nil)
	r := diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://" + web.Name + ":8080"}})
	f := r.one(t, "NET006", agent.Error)
	contains(t, "NET006", f.Message+f.Fix, net, web.Name, "enable_icc=false")
}

func TestHostDockerInternalWithoutHostGateway(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "hdi", dockertest.NetworkOptions{})
	cf := startCloudflared(t, im, net)
	r := diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://host.docker.internal:8080"}})
	f := r.one(t, "NET007", agent.Error)
	contains(t, "NET007 fix", f.Fix, `"host.docker.internal:host-gateway"`, "extra_hosts:")

	cf2 := startCloudflared(t, im, net, func(s *dockertest.Spec) { s.ExtraHosts = []string{"host.docker.internal:host-gateway"} })
	r = diagnose(t, setup{cloudflared: cf2.Name, services: []string{"http://host.docker.internal:8080"}})
	r.none(t, "NET007")
}

func TestSeveralContainersAnswerOneName(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "rr", dockertest.NetworkOptions{})
	cf := startCloudflared(t, im, net)
	app := dockertest.Name("app") // unique per run
	a := origin(t, im.origin, net, nil, func(s *dockertest.Spec) { s.Aliases = []string{app} })
	b := origin(t, im.origin, net, nil, func(s *dockertest.Spec) { s.Aliases = []string{app} })
	r := diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://" + app + ":8080"}})
	f := r.one(t, "NET008", agent.Warn)
	contains(t, "NET008", f.Message, a.Name, b.Name, "2 running containers")
}

// TestCloudflaredsNamespaceDonorRestarted: cloudflared runs with
// network_mode: service:vpn; the donor restarts and cloudflared keeps the
// dead namespace.
func TestCloudflaredsNamespaceDonorRestarted(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "vpn", dockertest.NetworkOptions{})
	vpn := origin(t, im.origin, net, []string{"--listen", ":1194"})
	dockertest.WaitState(t, vpn.ID, "running", 20*time.Second)
	cf := startCloudflared(t, im, "container:"+vpn.Name)
	web := origin(t, im.origin, net, nil)
	r := diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://" + web.Name + ":8080"}})
	r.none(t, "NET010")
	r.none(t, "NET001") // the donor's network counts as cloudflared's

	// StartedAt may have only second resolution: restart the donor in a
	// later second than cloudflared started, so the order is unambiguous
	// (usually so already: the diagnosis took a while).
	cfStarted, err := time.Parse(time.RFC3339Nano, dockertest.Docker(t, "inspect", "--format", "{{.State.StartedAt}}", cf.ID))
	if err != nil {
		t.Fatal(err)
	}
	dockertest.Eventually(t, 10*time.Second, "a second later than "+cf.Name+" started", func() (bool, string) {
		now := time.Now()
		return now.Truncate(time.Second).After(cfStarted), now.String()
	})
	dockertest.Docker(t, "restart", "-t", "0", vpn.ID)
	dockertest.WaitState(t, vpn.ID, "running", 20*time.Second)
	r = diagnose(t, setup{cloudflared: cf.Name, services: []string{"http://" + web.Name + ":8080"}})
	f := r.one(t, "NET010", agent.Error)
	contains(t, "NET010", f.Message+f.Fix, vpn.Name, "started after it", "docker restart "+cf.Name)
}
