package watch

import (
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

func TestRelevant(t *testing.T) {
	ep := func(id, name string, aliases ...string) dockernet.Endpoint {
		return dockernet.Endpoint{NetworkID: id, NetworkName: name, Aliases: aliases}
	}
	cf := &dockernet.Container{ID: "cf", Name: "cloudflared", Endpoints: []dockernet.Endpoint{ep("n-tunnel", "tunnel")}}
	snap := &agent.Snapshot{
		Docker: agent.DockerFacts{
			Cloudflared: cf,
			Topology: &dockernet.Topology{Containers: []*dockernet.Container{
				cf,
				{ID: "sidecar", Name: "tunneldoctor", NetworkMode: "container:cf"},
				{ID: "web", Name: "web", Endpoints: []dockernet.Endpoint{ep("n-tunnel", "tunnel", "web")}},
				{ID: "api", Name: "proj-api-1", Service: "api", Endpoints: []dockernet.Endpoint{ep("n-back", "back", "api")}},
				{ID: "db", Name: "postgres", Endpoints: []dockernet.Endpoint{ep("n-back", "back")}},
			}},
		},
		Ingress: agent.IngressFacts{Config: &tunnelcfg.Config{Rules: []tunnelcfg.Rule{
			{Index: 0, Hostname: "app.example.com", Service: "http://web:8080"},
			{Index: 1, Hostname: "api.example.com", Service: "http://api:3000"},
			{Index: 2, Service: "http_status:404"},
		}}},
	}
	tests := []struct {
		name string
		e    dockernet.Event
		want bool
	}{
		{"cloudflared dies", dockernet.Event{Type: "container", Action: "die", ID: "cf"}, true},
		{"the sidecar in its namespace", dockernet.Event{Type: "container", Action: "start", ID: "sidecar"}, true},
		{"an origin on cloudflared's network", dockernet.Event{Type: "container", Action: "die", ID: "web"}, true},
		{"an origin a rule names, on another network", dockernet.Event{Type: "container", Action: "start", ID: "api"}, true},
		{"an unrelated database", dockernet.Event{Type: "container", Action: "die", ID: "db"}, false},
		{"an unrelated container the last run did not know", dockernet.Event{Type: "container", Action: "start", ID: "new", Name: "busy-job-17"}, false},
		{"a re-created cloudflared (new ID, same name)", dockernet.Event{Type: "container", Action: "start", ID: "cf2", Name: "cloudflared"}, true},
		{"a re-created sidecar (new ID, same name)", dockernet.Event{Type: "container", Action: "start", ID: "sc2", Name: "tunneldoctor"}, true},
		{"a re-created origin (compose service a rule names)", dockernet.Event{Type: "container", Action: "start", ID: "api2", Name: "proj-api-1", Service: "api"}, true},
		{"an unknown container joins cloudflared's network", dockernet.Event{Type: "network", Action: "connect", ID: "n-tunnel", Container: "new"}, true},
		{"an unknown container joins another network", dockernet.Event{Type: "network", Action: "connect", ID: "n-other", Container: "new"}, false},
		{"the db leaves cloudflared's network (no rule names it)", dockernet.Event{Type: "network", Action: "disconnect", ID: "n-tunnel", Container: "db"}, false},
		{"the db leaves another network", dockernet.Event{Type: "network", Action: "disconnect", ID: "n-back", Name: "back", Container: "db"}, false},
		{"the api joins another network", dockernet.Event{Type: "network", Action: "connect", ID: "n-other", Container: "api"}, true},
	}
	for _, tc := range tests {
		if got := Relevant(snap, tc.e); got != tc.want {
			t.Errorf("%s: Relevant = %v, want %v", tc.name, got, tc.want)
		}
	}
	if !Relevant(nil, dockernet.Event{Type: "container", ID: "db"}) || !Relevant(&agent.Snapshot{}, dockernet.Event{ID: "db"}) {
		t.Error("without facts every event must be relevant")
	}
}
