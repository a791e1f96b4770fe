package checks_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// composeHost is cloudflared (project "shop", service cloudflared) on
// shop_default and an origin on network back: of the same project, or of
// another one.
func composeHost(backProject string, services ...string) *agent.Snapshot {
	def := &dockernet.Network{ID: "n-def", Name: "shop_default", Driver: "bridge",
		Labels: map[string]string{"com.docker.compose.project": "shop", "com.docker.compose.network": "default"}}
	backName := backProject + "_back"
	back := &dockernet.Network{ID: "n-bk", Name: backName, Driver: "bridge",
		Labels: map[string]string{"com.docker.compose.project": backProject, "com.docker.compose.network": "back"}}
	cf := ctr("shop_cloudflared_1", def)
	cf.Project, cf.Service, cf.Image = "shop", "cloudflared", "cloudflare/cloudflared:2026.9.0"
	web := ctr(backProject+"_web_1", back)
	web.Project, web.Service = backProject, "web"
	web.Endpoints[0].Aliases = []string{"web", web.Name}
	cfg := &tunnelcfg.Config{Origin: tunnelcfg.FromFile, Version: -1}
	for i, s := range services {
		cfg.Rules = append(cfg.Rules, tunnelcfg.Rule{Index: i, Hostname: "app.example.com", Service: s})
	}
	cfg.Rules = append(cfg.Rules, tunnelcfg.Rule{Index: len(services), Service: "http_status:404"})
	s := &agent.Snapshot{Taken: time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)}
	s.Ingress.Config = cfg
	s.Docker.Topology = dockernet.NewTopology([]*dockernet.Container{cf, web}, []*dockernet.Network{def, back})
	s.Docker.Cloudflared = cf
	return s
}

func TestNET001ComposeFixSameProjectIsNotExternal(t *testing.T) {
	got := runCheck(t, "NET001", composeHost("shop", "http://web:8080"))
	if len(got) != 1 {
		t.Fatalf("want one NET001, got %+v", got)
	}
	fix := got[0].Fix
	for _, w := range []string{"docker network connect shop_back shop_cloudflared_1", "project shop",
		"services:\n  cloudflared:\n    networks:\n      - default\n      - back\nnetworks:\n  default: {}\n  back: {}",
		"docker compose up -d", "docker-compose up -d"} {
		if !strings.Contains(fix, w) {
			t.Errorf("fix lacks %q:\n%s", w, fix)
		}
	}
	if strings.Contains(fix, "external") {
		t.Errorf("a network of cloudflared's own project must not be external (the next fresh deploy fails):\n%s", fix)
	}
}

func TestNET001ComposeFixOtherProjectIsExternal(t *testing.T) {
	got := runCheck(t, "NET001", composeHost("media", "http://web:8080"))
	if len(got) != 1 {
		t.Fatalf("want one NET001, got %+v", got)
	}
	fix := got[0].Fix
	for _, w := range []string{"docker network connect media_back shop_cloudflared_1",
		"    networks:\n      - default\n      - media_back\nnetworks:\n  default: {}\n  media_back:\n    external: true"} {
		if !strings.Contains(fix, w) {
			t.Errorf("fix lacks %q:\n%s", w, fix)
		}
	}
}

func TestNET003PrefersServiceNameOverV1ContainerName(t *testing.T) {
	s := composeHost("shop")
	// The origin is on cloudflared's network; the rule misspells its v2 name
	// as the v1 one.
	web := s.Docker.Topology.Container("shop_web_1")
	web.Name = "shop-web-1"
	web.Endpoints = []dockernet.Endpoint{{NetworkID: "n-def", NetworkName: "shop_default", Aliases: []string{"web", "shop-web-1"}}}
	s.Docker.Topology = dockernet.NewTopology([]*dockernet.Container{s.Docker.Cloudflared, web}, s.Docker.Topology.Networks)
	s.Ingress.Config.Rules[0].Service = "http://shop_web_1:8080"
	s.Ingress.Config.Rules = append(s.Ingress.Config.Rules[:1], tunnelcfg.Rule{Index: 1, Service: "http_status:404"})
	got := runCheck(t, "NET003", s)
	if len(got) != 1 || !strings.Contains(got[0].Fix, "service: http://web:8080") {
		t.Fatalf("want the service name in the fix, got %+v", got)
	}
}

func TestORG001OOMKilledIsNotDockerStart(t *testing.T) {
	web := ctr("web", netApps)
	web.Service, web.Project = "web", "shop"
	web.State, web.ExitCode, web.OOMKilled, web.MemoryLimit = "exited", 137, true, 64<<20
	got := runCheck(t, "ORG001", host([]*dockernet.Container{cfCtr(netApps), web}, "http://web:8080"))
	if len(got) != 1 {
		t.Fatalf("want one ORG001, got %+v", got)
	}
	fix := got[0].Fix
	if strings.Contains(fix, "docker start") {
		t.Errorf("an OOM-killed origin's fix must not be docker start:\n%s", fix)
	}
	for _, w := range []string{"mem_limit: 128m", "memory: 128m", "restart: unless-stopped", "fix the leak", "docker-compose up -d web"} {
		if !strings.Contains(fix, w) {
			t.Errorf("fix lacks %q:\n%s", w, fix)
		}
	}
}

// runHost is cloudflared and an origin started with docker run (no compose
// labels): cloudflared on shop_default, the origin "rv-web" on backend, or
// stopped on cloudflared's network.
func runHost(originState string) *agent.Snapshot {
	cf := cfCtr(netApps)
	cf.Name, cf.Project, cf.Service = "rv-cf", "", ""
	web := ctr("rv-web", netBack)
	if originState != "running" {
		web = ctr("rv-web", netApps)
		web.State, web.ExitCode = originState, 1
	}
	return host([]*dockernet.Container{cf, web}, "http://rv-web:8080")
}

func TestNET001FixForDockerRunHasNoComposeFile(t *testing.T) {
	got := runCheck(t, "NET001", runHost("running"))
	if len(got) != 1 {
		t.Fatalf("want one NET001, got %+v", got)
	}
	fix := got[0].Fix
	for _, w := range []string{"docker network connect backend rv-cf\n",
		"add `--network backend` (one per network: `docker network connect` after `docker run`) to the command that creates rv-cf, so a re-created container keeps it"} {
		if !strings.Contains(fix, w) {
			t.Errorf("fix lacks %q:\n%s", w, fix)
		}
	}
	for _, w := range []string{"compose", "services:", "networks:"} {
		if strings.Contains(fix, w) {
			t.Errorf("fix for a docker run container mentions %q:\n%s", w, fix)
		}
	}
}

func TestORG001FixForDockerRunAndCompose(t *testing.T) {
	s := runHost("exited")
	got := runCheck(t, "ORG001", s)
	if len(got) != 1 {
		t.Fatalf("want one ORG001, got %+v", got)
	}
	fix := got[0].Fix
	for _, w := range []string{"docker start rv-web\n", "docker update --restart unless-stopped rv-web", "--restart unless-stopped on its docker run"} {
		if !strings.Contains(fix, w) {
			t.Errorf("docker run fix lacks %q:\n%s", w, fix)
		}
	}
	if strings.Contains(fix, "compose") {
		t.Errorf("fix for a docker run container mentions compose:\n%s", fix)
	}
	// Killed for memory: raise the limit on the existing container first.
	oom := runHost("exited")
	ow := oom.Docker.Topology.Container("rv-web")
	ow.ExitCode, ow.OOMKilled, ow.MemoryLimit = 137, true, 64<<20
	got = runCheck(t, "ORG001", oom)
	if len(got) != 1 {
		t.Fatalf("want one ORG001 for the OOM kill, got %+v", got)
	}
	for _, w := range []string{"docker update --memory 128m --memory-swap 128m --restart unless-stopped rv-web\ndocker start rv-web", "fix the leak"} {
		if !strings.Contains(got[0].Fix, w) {
			t.Errorf("docker run OOM fix lacks %q:\n%s", w, got[0].Fix)
		}
	}
	if strings.Contains(got[0].Fix, "compose") || strings.Contains(got[0].Fix, "mem_limit") {
		t.Errorf("OOM fix for a docker run container speaks compose:\n%s", got[0].Fix)
	}
	// The same origin created by compose keeps the compose form.
	web := s.Docker.Topology.Container("rv-web")
	web.Project, web.Service = "rv", "web"
	got = runCheck(t, "ORG001", s)
	if len(got) != 1 || !strings.Contains(got[0].Fix, "restart: unless-stopped on its compose service web") ||
		strings.Contains(got[0].Fix, "docker update") {
		t.Errorf("compose origin: want the compose form, got %+v", got)
	}
}

// TestMemoryFixFollowsHowTheContainerWasCreated: ORG003 and ORG007 raise the
// limit in the compose service of a compose container, and with docker
// update on one started with docker run.
func TestMemoryFixFollowsHowTheContainerWasCreated(t *testing.T) {
	for _, compose := range []bool{false, true} {
		web := ctr("web", netApps)
		if compose {
			web.Project, web.Service = "shop", "web"
		}
		web.MemoryLimit = 100 << 20
		s := host([]*dockernet.Container{cfCtr(netApps), web}, "http://web:8080")
		s.Docker.Memory = map[string]dockernet.Memory{web.ID: {Usage: 95 << 20, Limit: 100 << 20}}
		got := runCheck(t, "ORG007", s)
		if len(got) != 1 {
			t.Fatalf("compose=%v: want one ORG007, got %+v", compose, got)
		}
		fix := got[0].Fix
		wantIn, wantOut := "docker update --memory 200m --memory-swap 200m web", "mem_limit"
		if compose {
			wantIn, wantOut = "mem_limit: 200m", "docker update"
		}
		if !strings.Contains(fix, wantIn) || strings.Contains(fix, wantOut) {
			t.Errorf("compose=%v: fix should have %q and not %q:\n%s", compose, wantIn, wantOut, fix)
		}
	}
}
