package dockernet

import (
	"context"
	"net/netip"
	"strings"
	"testing"
)

// aliasHost is what a watch test saw on a shared daemon: the origin answers
// "web" only through a network alias on cloudflared's network; another
// compose project's service "web" runs on a network cloudflared is not on;
// a bystander on the same daemon is on neither. The synthetic engine lists
// aliases as null, as engines before API 1.44 do.
func aliasHost(originState string) (*synthHost, *Topology) {
	h := newSynth()
	h.addNetwork("shared", false, false)
	h.addNetwork("other_origins", false, false)
	h.addNetwork("elsewhere", false, false)
	h.add(synthC{name: "cloudflared", image: "cloudflare/cloudflared", nets: map[string][]string{"shared": nil}})
	h.add(synthC{name: "tdtest-web-1a2b", image: "origin", state: originState,
		nets: map[string][]string{"shared": {"web"}}})
	h.add(synthC{name: "other_web_1", image: "nginx", nets: map[string][]string{"other_origins": {"other_web_1", "web"}},
		labels: map[string]string{LabelProject: "other", LabelService: "web"}})
	h.add(synthC{name: "bystander", image: "x", nets: map[string][]string{"elsewhere": {"web"}}})
	if originState != "running" {
		// A stopped container keeps its endpoint and aliases in inspect
		// data, with no address.
		for _, e := range h.containers[1].NetworkSettings.Networks {
			e.IPAddress = netip.Addr{}
		}
	}
	topo, err := Load(context.Background(), h)
	if err != nil {
		panic(err)
	}
	topo.Inspect(context.Background(), h, topo.Container("cloudflared").ID) // as discovery does
	return h, topo
}

func TestStoppedAliasOnSharedNetworkWinsOverNamesakesElsewhere(t *testing.T) {
	h, topo := aliasHost("exited")
	cf := topo.Container("cloudflared")

	before := topo.Resolve(cf, "web")
	if before.Kind != ResolveUpstream || len(before.Answers) != 0 || !strings.Contains(answerNames(before.Elsewhere), "other_web_1") {
		t.Fatalf("from list data: %s answers=[%s] elsewhere=[%s]; want upstream, the namesake elsewhere",
			before.Kind, answerNames(before.Answers), answerNames(before.Elsewhere))
	}
	if !before.NeedsAliases() {
		t.Fatal("no running answer on cloudflared's network, a namesake elsewhere: aliases must be read")
	}
	ids := topo.AliasCandidates(cf)
	if len(ids) != 1 || topo.Container(ids[0]).Name != "tdtest-web-1a2b" {
		t.Fatalf("AliasCandidates = %v; want only the (stopped) member of cloudflared's network", names(topo, ids))
	}
	calls := h.calls.Load()
	topo.Inspect(context.Background(), h, ids...)
	if got := h.calls.Load() - calls; got != 1 {
		t.Errorf("inspecting the candidates took %d calls, want 1", got)
	}

	after := topo.Resolve(cf, "web")
	if after.Kind != ResolveContainers || answerNames(after.Answers) != "tdtest-web-1a2b" || after.Answers[0].Via != "alias" {
		t.Fatalf("after inspect: %s answers=[%s]; want the stopped origin by alias", after.Kind, answerNames(after.Answers))
	}
	if len(after.Running()) != 0 || after.Answers[0].Container.State != "exited" {
		t.Errorf("the stopped origin is THE answer, not running: Running()=%d state %s", len(after.Running()), after.Answers[0].Container.State)
	}
	if len(topo.AliasCandidates(cf)) != 0 {
		t.Error("a second pass must not inspect anything again")
	}
}

func TestRestartedAliasNeedsNoMoreAfterInspect(t *testing.T) {
	h, topo := aliasHost("running")
	cf := topo.Container("cloudflared")
	if r := topo.Resolve(cf, "web"); !r.NeedsAliases() {
		t.Fatalf("running origin known only by alias, namesake elsewhere: NeedsAliases must be true (%s [%s])", r.Kind, answerNames(r.Elsewhere))
	}
	topo.Inspect(context.Background(), h, topo.AliasCandidates(cf)...)
	r := topo.Resolve(cf, "web")
	if answerNames(r.Running()) != "tdtest-web-1a2b" || r.NeedsAliases() {
		t.Errorf("after inspect: running=[%s] needs=%v; want the origin, nothing more to read", answerNames(r.Running()), r.NeedsAliases())
	}
}

func TestNeedsAliasesOnlyWithoutRunningAnswer(t *testing.T) {
	topo, by := scenario(t)
	cf := by["cloudflared"]
	for host, want := range map[string]bool{
		"web":                  false, // running answer
		"backend":              false,
		"stopped":              true, // only a stopped answer: a running alias may exist
		"db":                   true, // only elsewhere
		"nothing":              true,
		"localhost":            false,
		"host.docker.internal": false,
		"10.9.9.9":             false, // IP literals have no aliases
	} {
		if got := topo.Resolve(cf, host).NeedsAliases(); got != want {
			t.Errorf("Resolve(%q).NeedsAliases() = %v, want %v", host, got, want)
		}
	}
}

func TestAliasCandidatesSkipsDNSNamesAndInspected(t *testing.T) {
	n := &Network{ID: "n1", Name: "shared"}
	cf := &Container{ID: "cf", Name: "cloudflared", State: "running", NetworkMode: "shared", Inspected: true,
		Endpoints: []Endpoint{{NetworkID: "n1", NetworkName: "shared"}}}
	modern := &Container{ID: "m", Name: "modern", State: "exited", NetworkMode: "shared",
		Endpoints: []Endpoint{{NetworkID: "n1", NetworkName: "shared", DNSNames: []string{"modern", "web"}}}}
	old := &Container{ID: "o", Name: "old", State: "exited", NetworkMode: "shared",
		Endpoints: []Endpoint{{NetworkID: "n1", NetworkName: "shared"}}}
	done := &Container{ID: "d", Name: "done", State: "running", NetworkMode: "shared", Inspected: true,
		Endpoints: []Endpoint{{NetworkID: "n1", NetworkName: "shared"}}}
	topo := NewTopology([]*Container{cf, modern, old, done}, []*Network{n})
	if got := topo.AliasCandidates(cf); len(got) != 1 || got[0] != "o" {
		t.Errorf("AliasCandidates = %v; want [o]: DNSNames are exact, inspected containers are known", got)
	}
	if r := topo.Resolve(cf, "web"); answerNames(r.Answers) != "modern" {
		t.Errorf("DNSNames of a stopped container answer the name: got [%s]", answerNames(r.Answers))
	}
}

func names(topo *Topology, ids []string) []string {
	var out []string
	for _, id := range ids {
		out = append(out, topo.Container(id).Name)
	}
	return out
}
