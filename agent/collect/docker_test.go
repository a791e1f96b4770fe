package collect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

func discoveryHost(cs ...*dockernet.Container) *dockernet.Topology {
	return dockernet.NewTopology(cs, nil)
}

func dc(name, image, state, mode string) *dockernet.Container {
	return &dockernet.Container{ID: fmt.Sprintf("%064x", len(name)*7919+int(name[0])), Name: name, Image: image, State: state, NetworkMode: mode}
}

func TestChooseCloudflared(t *testing.T) {
	cfA := dc("cf-a", "cloudflare/cloudflared:2026.9.0", "running", "bridge")
	cfB := dc("cf-b", "cloudflare/cloudflared:latest", "running", "bridge")
	cfOld := dc("cf-old", "cloudflare/cloudflared:2024.1.0", "exited", "bridge")
	custom := dc("tunnel", "mycorp/edge:1", "running", "bridge")
	custom.Command = "/usr/local/bin/cloudflared tunnel run"
	web := dc("web", "nginx", "running", "bridge")
	td := dc("td", "tunneldoctor", "running", "container:"+cfB.ID)

	cases := []struct {
		name      string
		topo      *dockernet.Topology
		self      *dockernet.Container
		named     string
		want, how string
		errHas    []string
	}{
		{"only one running", discoveryHost(cfA, cfOld, web), nil, "", "cf-a", "the only cloudflared container", nil},
		{"entrypoint, not image", discoveryHost(custom, web), nil, "", "tunnel", "the only cloudflared container", nil},
		{"shared namespace wins", discoveryHost(cfA, cfB, td), td, "", "cf-b", "shares its network namespace", nil},
		{"shared namespace over a wrong name", discoveryHost(cfA, cfB, td), td, "cf-a", "cf-b", "shares its network namespace", nil},
		{"by name", discoveryHost(cfA, cfB), nil, "cf-a", "cf-a", "--cloudflared", nil},
		{"several", discoveryHost(cfA, cfB, web), nil, "", "", "", []string{"2 containers run cloudflared"}},
		{"none", discoveryHost(web), nil, "", "", "", []string{"no container runs"}},
		{"unknown name", discoveryHost(cfA), nil, "nope", "", "", []string{"--cloudflared nope: no such container"}},
	}
	for _, tc := range cases {
		got, d := chooseCloudflared(tc.topo, tc.self, nil, tc.named)
		name := ""
		if got != nil {
			name = got.Name
		}
		if name != tc.want || d.How != tc.how {
			t.Errorf("%s: got %q via %q (%+v), want %q via %q", tc.name, name, d.How, d, tc.want, tc.how)
		}
		for _, e := range tc.errHas {
			if !strings.Contains(d.Error, e) {
				t.Errorf("%s: error %q lacks %q", tc.name, d.Error, e)
			}
		}
	}
}
