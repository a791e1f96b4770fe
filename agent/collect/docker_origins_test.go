package collect

import (
	"testing"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// originHost: cloudflared on "shared"; the origin answers "web" there by an
// alias (known only once inspected); another project's compose service
// "web" runs on "other". knownAlias says whether the origin's inspect data
// has been read.
func originHost(originState string, knownAlias bool) (*dockernet.Topology, *dockernet.Container) {
	shared := &dockernet.Network{ID: "n-shared", Name: "shared"}
	other := &dockernet.Network{ID: "n-other", Name: "other_origins"}
	cf := dc("cloudflared", "cloudflare/cloudflared", "running", "shared")
	cf.Inspected = true
	cf.Endpoints = []dockernet.Endpoint{{NetworkID: shared.ID, NetworkName: shared.Name}}
	origin := dc("tdtest-web-1a2b", "origin", originState, "shared")
	origin.Endpoints = []dockernet.Endpoint{{NetworkID: shared.ID, NetworkName: shared.Name}}
	if knownAlias {
		origin.Inspected, origin.Endpoints[0].Aliases = true, []string{"web"}
	}
	namesake := dc("other_web_1", "nginx", "running", "other_origins")
	namesake.Project, namesake.Service = "other", "web"
	namesake.Endpoints = []dockernet.Endpoint{{NetworkID: other.ID, NetworkName: other.Name}}
	return dockernet.NewTopology([]*dockernet.Container{cf, origin, namesake}, []*dockernet.Network{shared, other}), cf
}

func webConfig() *tunnelcfg.Config {
	return &tunnelcfg.Config{Rules: []tunnelcfg.Rule{
		{Index: 0, Hostname: "app.example.com", Service: "http://web:8080"},
		{Index: 1, Hostname: "api.example.com", Service: "http://web:8080/api"},
		{Index: 2, Service: "http_status:404"},
	}}
}

func TestOriginTargetsReadAliasesDespiteANamesakeElsewhere(t *testing.T) {
	for _, state := range []string{"exited", "running", "restarting"} {
		topo, cf := originHost(state, false)
		_, unresolved := originTargets(topo, cf, webConfig())
		if !unresolved {
			t.Errorf("%s origin known only by alias, namesake on another network: aliases must be read", state)
		}
		if got := topo.AliasCandidates(cf); len(got) != 1 || topo.Container(got[0]).Name != "tdtest-web-1a2b" {
			t.Errorf("%s: alias candidates %v; want only the origin (one inspect, not one per rule)", state, got)
		}

		topo, cf = originHost(state, true)
		ids, unresolved := originTargets(topo, cf, webConfig())
		if len(ids) != 1 || topo.Container(ids[0]).Name != "tdtest-web-1a2b" {
			t.Errorf("%s: targets %v; want only the origin on cloudflared's network, not the namesake", state, ids)
		}
		if unresolved != (state != "running") {
			t.Errorf("%s with its alias known: unresolved = %v", state, unresolved)
		}
		if unresolved && len(topo.AliasCandidates(cf)) != 0 {
			t.Errorf("%s: nothing left to inspect once the alias is known", state)
		}
	}
}

func TestOriginTargetsFallBackToElsewhere(t *testing.T) {
	topo, cf := originHost("running", false)
	topo.Container("tdtest-web-1a2b").Inspected = true // inspected: no alias "web"
	ids, unresolved := originTargets(topo, cf, webConfig())
	if len(ids) != 1 || topo.Container(ids[0]).Name != "other_web_1" || !unresolved {
		t.Errorf("targets %v unresolved %v; want the namesake elsewhere (NET001's subject), unresolved", ids, unresolved)
	}
	if len(topo.AliasCandidates(cf)) != 0 {
		t.Error("every member of cloudflared's network is inspected: no candidates")
	}
}
