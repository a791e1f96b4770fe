package dockernet

import (
	"strings"
	"testing"
)

// scenario: cloudflared on "edge" and "apps"; web and api on apps (api with
// an alias), db on "private" only, legacy on the default bridge, a sidecar
// sharing cloudflared's namespace, and a VPN-style donor chain.
func scenario(t *testing.T) (*Topology, map[string]*Container) {
	h := newSynth()
	h.addNetwork("edge", false, false)
	h.addNetwork("apps", false, false)
	h.addNetwork("private", false, false)
	h.add(synthC{name: "cloudflared", image: "cloudflare/cloudflared:2026.9.0",
		nets: map[string][]string{"edge": nil, "apps": nil}, extraHosts: []string{"host.docker.internal:host-gateway"}})
	h.add(synthC{name: "shop-web-1", image: "nginx", nets: map[string][]string{"apps": {"shop-web-1", "web"}},
		labels: map[string]string{LabelProject: "shop", LabelService: "web"}})
	h.add(synthC{name: "api", image: "api", nets: map[string][]string{"apps": {"backend"}}})
	h.add(synthC{name: "api-replica", image: "api", nets: map[string][]string{"apps": {"backend"}}})
	h.add(synthC{name: "db", image: "postgres", nets: map[string][]string{"private": nil}})
	h.add(synthC{name: "legacy", image: "old", nets: map[string][]string{"bridge": nil}})
	h.add(synthC{name: "sidecar", image: "metrics", mode: "container:cloudflared"})
	h.add(synthC{name: "stopped", image: "x", nets: map[string][]string{"apps": nil}, state: "exited"})
	topo := h.load(t)
	by := map[string]*Container{}
	for _, c := range topo.Containers {
		by[c.Name] = c
	}
	return topo, by
}

func answerNames(as []Answer) string {
	var n []string
	for _, a := range as {
		n = append(n, a.Container.Name)
	}
	return strings.Join(n, ",")
}

func TestResolveFromCloudflared(t *testing.T) {
	topo, by := scenario(t)
	cf := by["cloudflared"]
	cases := []struct {
		host      string
		kind      ResolveKind
		answers   string
		elsewhere string
	}{
		{"web", ResolveContainers, "shop-web-1", ""},
		{"shop-web-1", ResolveContainers, "shop-web-1", ""},
		{"WEB.", ResolveContainers, "shop-web-1", ""},
		{"backend", ResolveContainers, "api,api-replica", ""},
		{"db", ResolveUpstream, "", "db"},
		{"legacy", ResolveUpstream, "", ""}, // default bridge: no names there at all
		{"nothing", ResolveUpstream, "", ""},
		{"localhost", ResolveLoopback, "sidecar", ""},
		{"127.0.0.1", ResolveLoopback, "sidecar", ""},
		{"[::1]", ResolveLoopback, "sidecar", ""},
		{"host.docker.internal", ResolveHostGateway, "", ""},
		{"stopped", ResolveContainers, "stopped", ""},
		{by["shop-web-1"].ID[:12], ResolveContainers, "shop-web-1", ""},
	}
	for _, tc := range cases {
		r := topo.Resolve(cf, tc.host)
		if r.Kind != tc.kind || answerNames(r.Answers) != tc.answers || answerNames(r.Elsewhere) != tc.elsewhere {
			t.Errorf("Resolve(%q) = %s answers=[%s] elsewhere=[%s] (%s); want %s [%s] [%s]",
				tc.host, r.Kind, answerNames(r.Answers), answerNames(r.Elsewhere), r.Reason, tc.kind, tc.answers, tc.elsewhere)
		}
	}
	if got := len(topo.Resolve(cf, "stopped").Running()); got != 0 {
		t.Errorf("a stopped container is not answered by DNS; Running() = %d", got)
	}
	if got := len(topo.Resolve(cf, "backend").Running()); got != 2 {
		t.Errorf("backend: want 2 running answers (round robin), got %d", got)
	}
}

func TestResolveFromJoinerUsesDonor(t *testing.T) {
	topo, by := scenario(t)
	ns := topo.Namespace(by["sidecar"])
	if ns.Kind != NSNetworks || ns.Owner != by["cloudflared"] {
		t.Fatalf("sidecar namespace = %s owner %v, want cloudflared's", ns.Kind, Describe(ns.Owner))
	}
	if r := topo.Resolve(by["sidecar"], "web"); r.Kind != ResolveContainers {
		t.Errorf("a joiner resolves with its donor's networks; got %s", r.Kind)
	}
	if r := topo.Resolve(by["sidecar"], "localhost"); answerNames(r.Answers) != "cloudflared" {
		t.Errorf("localhost from the sidecar is cloudflared; got [%s]", answerNames(r.Answers))
	}
	if r := topo.Resolve(by["sidecar"], "host.docker.internal"); r.Kind != ResolveHostGateway {
		t.Errorf("the donor's extra_hosts apply to joiners; got %s", r.Kind)
	}
	if got := topo.SharedNetworks(by["sidecar"], by["shop-web-1"]); len(got) != 1 || got[0].Name != "apps" {
		t.Errorf("SharedNetworks(sidecar, web) = %v, want apps (through the donor)", got)
	}
	if !topo.SameNamespace(by["sidecar"], by["cloudflared"]) || topo.SameNamespace(by["web"], by["cloudflared"]) {
		t.Error("SameNamespace is wrong")
	}
}

func TestResolveDefaultBridgeAndHost(t *testing.T) {
	h := newSynth()
	h.add(synthC{name: "cf-bridge", nets: map[string][]string{"bridge": nil}})
	h.add(synthC{name: "cf-host", mode: "host"})
	h.add(synthC{name: "web", nets: map[string][]string{"bridge": nil}})
	h.add(synthC{name: "gone-donor", mode: "container:" + strings.Repeat("f", 64)})
	topo := h.load(t)
	if r := topo.Resolve(topo.Container("cf-bridge"), "web"); r.Kind != ResolveNoContainerDNS {
		t.Errorf("default bridge: got %s, want %s", r.Kind, ResolveNoContainerDNS)
	}
	if r := topo.Resolve(topo.Container("cf-host"), "web"); r.Kind != ResolveNoContainerDNS {
		t.Errorf("host mode: got %s", r.Kind)
	}
	h2 := newSynth()
	h2.add(synthC{name: "a", mode: "host"})
	h2.add(synthC{name: "b", mode: "host"})
	t2 := h2.load(t)
	if !t2.SameNamespace(t2.Container("a"), t2.Container("b")) {
		t.Error("two host-mode containers share the host's stack")
	}
	if r := topo.Resolve(topo.Container("cf-host"), "localhost"); r.Kind != ResolveLoopback || r.Namespace.Kind != NSHost {
		t.Errorf("host mode localhost: got %s in %s", r.Kind, r.Namespace.Kind)
	}
	r := topo.Resolve(topo.Container("gone-donor"), "web")
	if r.Kind != ResolveUnknown || !strings.Contains(r.Reason, "no longer exists") {
		t.Errorf("missing donor: got %s %q", r.Kind, r.Reason)
	}
}

func TestResolveHostDockerInternalOnDesktop(t *testing.T) {
	h := newSynth()
	h.add(synthC{name: "cf", nets: map[string][]string{"bridge": nil}})
	topo := h.load(t)
	if r := topo.Resolve(topo.Container("cf"), "host.docker.internal"); r.Kind == ResolveHostGateway {
		t.Errorf("Linux engine without host-gateway: got %s", r.Kind)
	}
	topo.Desktop = true
	if r := topo.Resolve(topo.Container("cf"), "host.docker.internal"); r.Kind != ResolveHostGateway {
		t.Errorf("Docker Desktop resolves it: got %s", r.Kind)
	}
}

func TestResolveByIP(t *testing.T) {
	topo, by := scenario(t)
	web := by["shop-web-1"].Endpoints[0].IPv4
	if r := topo.Resolve(by["cloudflared"], web); r.Kind != ResolveContainers || answerNames(r.Answers) != "shop-web-1" {
		t.Errorf("IP of a container on a shared network: %s [%s]", r.Kind, answerNames(r.Answers))
	}
	db := by["db"].Endpoints[0].IPv4
	if r := topo.Resolve(by["cloudflared"], db); r.Kind != ResolveIP || answerNames(r.Elsewhere) != "db" {
		t.Errorf("IP of a container elsewhere: %s [%s]", r.Kind, answerNames(r.Elsewhere))
	}
}

func TestSuggest(t *testing.T) {
	topo, by := scenario(t)
	cases := map[string]string{
		"shop_web_1": "shop-web-1",
		"webb":       "web",
		"bakend":     "backend",
		"datab":      "",
	}
	for typed, want := range cases {
		got := topo.Suggest(by["cloudflared"], typed, 3)
		first := ""
		if len(got) > 0 {
			first = got[0].Name
		}
		if first != want {
			t.Errorf("Suggest(%q) first = %q, want %q (all %v)", typed, first, want, got)
		}
	}
}

func TestSuggestServiceVersusContainerName(t *testing.T) {
	topo, by := scenario(t)
	got := topo.Suggest(by["cloudflared"], "shop-web", 3)
	var names []string
	for _, s := range got {
		names = append(names, s.Name+"/"+s.Kind)
	}
	all := strings.Join(names, " ")
	if !strings.Contains(all, "shop-web-1/container name") || !strings.Contains(all, "web/compose service") {
		t.Errorf("Suggest(shop-web) = %s; want the container name and the compose service", all)
	}
}

func TestLoadCountsCallsAndKeepsUnknown(t *testing.T) {
	h := newSynth()
	h.addNetwork("apps", false, true)
	h.add(synthC{name: "a", nets: map[string][]string{"apps": nil}})
	h.denyNets = true
	topo, err := Load(t.Context(), h)
	if err != nil {
		t.Fatal(err)
	}
	if topo.Calls != 2 {
		t.Errorf("Load made %d calls, want 2 (list containers, list networks)", topo.Calls)
	}
	if len(topo.Unknown) != 1 {
		t.Fatalf("a refused network list must be recorded as unknown: %v", topo.Unknown)
	}
	n := topo.Network("apps")
	if n == nil || n.ICCDisabled || len(n.Members) != 1 {
		t.Errorf("network known from endpoints only: %+v", n)
	}
	topo.Inspect(t.Context(), h, "a", "a", topo.Container("a").ID)
	if topo.Calls != 3 {
		t.Errorf("inspecting one container thrice must cost one call; calls = %d", topo.Calls)
	}
}

func TestEnvRedactedButRawAvailable(t *testing.T) {
	h := newSynth()
	h.add(synthC{name: "cloudflared", env: []string{"TUNNEL_TOKEN=eyJhIjoiYWNjb3VudCJ9secret", "PATH=/bin"}})
	topo := h.load(t)
	c := topo.Container("cloudflared")
	if strings.Contains(strings.Join(c.Env, " "), "secret") {
		t.Errorf("Env must be redacted: %v", c.Env)
	}
	if c.Env[0] != "TUNNEL_TOKEN="+RedactedValue {
		t.Errorf("Env keeps names: %v", c.Env)
	}
	if c.RawEnv()[0] != "TUNNEL_TOKEN=eyJhIjoiYWNjb3VudCJ9secret" {
		t.Errorf("RawEnv must give the value to discovery")
	}
}

func TestNetworkIDHoldingTheName(t *testing.T) {
	nets := []*Network{{ID: "abc123", Name: "apps"}}
	web := &Container{ID: "w", Name: "web", State: "running", Endpoints: []Endpoint{{NetworkID: "apps", NetworkName: "apps"}}}
	cf := &Container{ID: "c", Name: "cf", State: "running", Endpoints: []Endpoint{{NetworkID: "abc123", NetworkName: "apps"}}}
	topo := NewTopology([]*Container{cf, web}, nets)
	if len(topo.Networks) != 1 || len(topo.Networks[0].Members) != 2 {
		t.Fatalf("a network ID holding the name (Podman) must map to the network: %+v", topo.Networks)
	}
	if r := topo.Resolve(cf, "web"); r.Kind != ResolveContainers {
		t.Errorf("web must resolve on the shared network: %s", r.Kind)
	}
}
