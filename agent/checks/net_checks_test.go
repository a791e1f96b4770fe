package checks_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Hand-built hosts for the network and origin-container checks. The same
// situations run against the real daemon in agent/dockerit.

var (
	netApps   = &dockernet.Network{ID: "n-apps", Name: "shop_default", Driver: "bridge"}
	netBack   = &dockernet.Network{ID: "n-back", Name: "backend", Driver: "bridge"}
	netBridge = &dockernet.Network{ID: "n-bridge", Name: "bridge", Driver: "bridge"}
	netInt    = &dockernet.Network{ID: "n-int", Name: "private", Driver: "bridge", Internal: true}
	netNoICC  = &dockernet.Network{ID: "n-noicc", Name: "locked", Driver: "bridge", ICCDisabled: true}
)

func ctr(name string, nets ...*dockernet.Network) *dockernet.Container {
	c := &dockernet.Container{ID: fmt.Sprintf("%-64s", name+"-id"), Name: name, State: "running", Inspected: true, NetworkMode: "bridge"}
	for _, n := range nets {
		c.Endpoints = append(c.Endpoints, dockernet.Endpoint{NetworkID: n.ID, NetworkName: n.Name})
		c.NetworkMode = n.Name
	}
	return c
}

func cfCtr(nets ...*dockernet.Network) *dockernet.Container {
	c := ctr("cloudflared", nets...)
	c.Image = "cloudflare/cloudflared:2026.9.0"
	c.Project, c.Service = "tunnel", "cloudflared"
	return c
}

// host builds a snapshot: cloudflared is the first container.
func host(containers []*dockernet.Container, services ...string) *agent.Snapshot {
	nets := map[string]*dockernet.Network{}
	for _, c := range containers {
		for _, e := range c.Endpoints {
			for _, n := range []*dockernet.Network{netApps, netBack, netBridge, netInt, netNoICC} {
				if n.ID == e.NetworkID {
					cp := *n
					nets[n.ID] = &cp
				}
			}
		}
	}
	var list []*dockernet.Network
	for _, n := range nets {
		list = append(list, n)
	}
	cfg := &tunnelcfg.Config{Origin: tunnelcfg.FromFile, Version: -1}
	for i, s := range services {
		cfg.Rules = append(cfg.Rules, tunnelcfg.Rule{Index: i, Hostname: fmt.Sprintf("app%d.example.com", i), Service: s})
	}
	cfg.Rules = append(cfg.Rules, tunnelcfg.Rule{Index: len(services), Service: "http_status:404"})
	s := &agent.Snapshot{Taken: time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)}
	s.Ingress.Config = cfg
	s.Docker.Topology = dockernet.NewTopology(containers, list)
	s.Docker.Cloudflared = containers[0]
	return s
}

func runCheck(t *testing.T, code string, s *agent.Snapshot) []agent.Finding {
	t.Helper()
	c, ok := checks.ByCode(code)
	if !ok {
		t.Fatalf("no check %s", code)
	}
	return agent.Run(s, []agent.Check{c})
}

func TestNetworkChecksOnHandBuiltHosts(t *testing.T) {
	web := ctr("shop-web-1", netApps)
	web.Project, web.Service = "shop", "web"
	web.ExposedPorts = []string{"8080/tcp"}
	db := ctr("db", netBack)
	bridgeWeb := ctr("legacy", netBridge)
	lockedWeb := ctr("locked-web", netNoICC)
	a1, a2 := ctr("a1", netApps), ctr("a2", netApps)
	a1.Endpoints[0].Aliases, a2.Endpoints[0].Aliases = []string{"app"}, []string{"app"}
	a2.Project = "other"
	published := ctr("pub", netApps)
	published.Published = []dockernet.PortBinding{{ContainerPort: "80/tcp", HostIP: "127.0.0.1", HostPort: "8081"}}

	cases := []struct {
		name     string
		snap     *agent.Snapshot
		code     string
		sev      agent.Severity
		contains []string
	}{
		{"other network", host([]*dockernet.Container{cfCtr(netApps), db}, "http://db:5432"),
			"NET001", agent.Error, []string{"db", "backend", "docker network connect backend cloudflared", "- shop_default", "- backend", "external: true"}},
		{"localhost, container exposes the port", host([]*dockernet.Container{cfCtr(netApps), web}, "http://localhost:8080"),
			"NET002", agent.Error, []string{"service: http://web:8080"}},
		{"localhost, only tunneldoctor shares the namespace", withSelf(host([]*dockernet.Container{cfCtr(netApps), web, joiner("td")}, "http://localhost:8080"), "td"),
			"NET002", agent.Error, []string{"service: http://web:8080"}},
		{"localhost, host port published", host([]*dockernet.Container{cfCtr(netApps), published}, "http://127.0.0.1:8081"),
			"NET002", agent.Error, []string{"publishes on the host", "service: http://pub:80"}},
		{"typo", host([]*dockernet.Container{cfCtr(netApps), web}, "http://wbe:8080"),
			"NET003", agent.Error, []string{"Did you mean web", "service: http://web:8080"}},
		{"underscore container name", host([]*dockernet.Container{cfCtr(netApps), web}, "http://shop_web_1"),
			"NET003", agent.Error, []string{"shop-web-1 (container name", "service: http://web"}},
		{"default bridge", host([]*dockernet.Container{cfCtr(netBridge), bridgeWeb}, "http://legacy:80"),
			"NET004", agent.Error, []string{"only on the default bridge", "#0 legacy", "docker network connect tunnel cloudflared"}},
		{"internal only", host([]*dockernet.Container{cfCtr(netInt), ctr("x", netInt)}, "http://x:80"),
			"NET005", agent.Error, []string{"private", "docker network connect tunnel-egress cloudflared"}},
		{"icc disabled", host([]*dockernet.Container{cfCtr(netNoICC), lockedWeb}, "http://locked-web:80"),
			"NET006", agent.Error, []string{"locked", "enable_icc=false"}},
		{"host.docker.internal", host([]*dockernet.Container{cfCtr(netApps)}, "http://host.docker.internal:3000"),
			"NET007", agent.Error, []string{`"host.docker.internal:host-gateway"`, "cloudflared:"}},
		{"round robin across projects", host([]*dockernet.Container{cfCtr(netApps), a1, a2}, "http://app:80"),
			"NET008", agent.Warn, []string{"a1, a2", "different compose projects"}},
		{"donor gone", host([]*dockernet.Container{orphan(), web}, "http://web:8080"),
			"NET010", agent.Error, []string{"no longer exists", "docker restart cloudflared"}},
		{"not in cloudflared's namespace", host([]*dockernet.Container{cfCtr(netApps), web}, "http://web:8080"),
			"NET009", agent.Info, []string{`network_mode: "service:cloudflared"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runCheck(t, tc.code, tc.snap)
			if len(got) != 1 || got[0].Severity != tc.sev {
				t.Fatalf("want one %s %s, got %+v", tc.sev, tc.code, got)
			}
			text := got[0].Message + "\n" + got[0].Fix
			for _, w := range tc.contains {
				if !strings.Contains(text, w) {
					t.Errorf("%s lacks %q:\n%s", tc.code, w, text)
				}
			}
		})
	}
}

func TestNetworkChecksStayQuietWhenFine(t *testing.T) {
	web := ctr("web", netApps)
	side := ctr("side")
	cf := cfCtr(netApps)
	side.NetworkMode = "container:" + cf.ID
	hostCF := ctr("cloudflared")
	hostCF.NetworkMode = "host"
	withGateway := cfCtr(netApps)
	withGateway.ExtraHosts = []string{"host.docker.internal:host-gateway"}
	fine := map[string]*agent.Snapshot{
		"shared network":          host([]*dockernet.Container{cf, web}, "http://web:8080", "https://example.com"),
		"localhost with sidecar":  host([]*dockernet.Container{cf, web, side}, "http://localhost:9000"),
		"localhost in host mode":  host([]*dockernet.Container{hostCF}, "http://localhost:8080"),
		"host-gateway configured": host([]*dockernet.Container{withGateway}, "http://host.docker.internal:3000"),
	}
	for name, s := range fine {
		for _, c := range checks.All() {
			if !strings.HasPrefix(c.Code, "NET") && !strings.HasPrefix(c.Code, "ORG") {
				continue
			}
			for _, f := range agent.Run(s, []agent.Check{c}) {
				if f.Severity > agent.Info {
					t.Errorf("%s: unexpected %s %s: %s", name, f.Severity, f.Code, f.Message)
				}
			}
		}
	}
}

func TestOriginChecksOnHandBuiltHosts(t *testing.T) {
	now := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	mk := func(f func(c *dockernet.Container)) *agent.Snapshot {
		web := ctr("web", netApps)
		f(web)
		s := host([]*dockernet.Container{cfCtr(netApps), web}, "http://web:8080")
		s.Docker.Logs = map[string][]string{web.ID: {"listening", "fatal: out of cheese"}}
		s.Docker.Memory = map[string]dockernet.Memory{web.ID: {Usage: 95 << 20, Limit: 100 << 20}}
		return s
	}
	cases := []struct {
		code     string
		sev      agent.Severity
		setup    func(c *dockernet.Container)
		contains []string
	}{
		{"ORG001", agent.Error, func(c *dockernet.Container) { c.State, c.ExitCode = "exited", 1 },
			[]string{"is exited (exit code 1)", "docker start web", "fatal: out of cheese"}},
		{"ORG001", agent.Error, func(c *dockernet.Container) {
			c.State, c.Status, c.Inspected, c.InspectError = "exited", "Exited (3) 2 minutes ago", false, "inspect: refused by the Docker API"
		}, []string{"Exited (3) 2 minutes ago; exit details unknown: inspect: refused"}},
		{"ORG002", agent.Error, func(c *dockernet.Container) { c.State, c.RestartCount = "restarting", 7 },
			[]string{"is restarting: 7 restarts"}},
		{"ORG002", agent.Error, func(c *dockernet.Container) { c.RestartCount, c.StartedAt = 5, now.Add(-time.Minute) },
			[]string{"crash-looping: 5 restarts"}},
		{"ORG003", agent.Error, func(c *dockernet.Container) {
			c.State, c.OOMKilled, c.ExitCode, c.MemoryLimit = "exited", true, 137, 64<<20
		},
			[]string{"OOM-killed (a memory limit of 64m)", "docker update --memory 128m --memory-swap 128m web"}},
		// The OOM event lost to the exit event: SIGKILL under a limit is
		// reported as a probable OOM kill, at warning level.
		{"ORG003", agent.Warn, func(c *dockernet.Container) {
			c.State, c.ExitCode, c.MemoryLimit = "exited", 137, 32<<20
		},
			[]string{"probably OOM-killed", "exit code 137", "Docker did not record OOMKilled", "docker update --memory 64m --memory-swap 64m web"}},
		{"ORG004", agent.Error, func(c *dockernet.Container) { c.State = "paused" },
			[]string{"docker unpause web"}},
		{"ORG005", agent.Error, func(c *dockernet.Container) {
			c.Health = &dockernet.Health{Status: "unhealthy", FailingStreak: 3, Log: []dockernet.HealthResult{{ExitCode: 1, Output: "curl: (7) Failed to connect"}}}
		}, []string{"unhealthy (3 failed", `"curl: (7) Failed to connect"`}},
		{"ORG006", agent.Info, func(c *dockernet.Container) { c.Health = &dockernet.Health{Status: "starting"} },
			[]string{"still starting"}},
		{"ORG007", agent.Warn, func(c *dockernet.Container) { c.MemoryLimit = 100 << 20 },
			[]string{"95m of its 100m memory limit (95%)", "docker update --memory 200m --memory-swap 200m web"}},
	}
	for _, tc := range cases {
		got := runCheck(t, tc.code, mk(tc.setup))
		if len(got) != 1 || got[0].Severity != tc.sev {
			t.Errorf("%s: want one %s finding, got %+v", tc.code, tc.sev, got)
			continue
		}
		text := got[0].Message + "\n" + got[0].Fix + "\n" + got[0].Evidence["last_log"]
		for _, w := range tc.contains {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", tc.code, w, text)
			}
		}
	}
}

func TestChecksSkipWithoutDocker(t *testing.T) {
	s := host([]*dockernet.Container{cfCtr(netApps)}, "http://db:5432")
	s.Docker.Missing = "cloudflared container not identified: 2 containers run cloudflared"
	for _, code := range []string{"NET001", "NET003", "ORG001"} {
		got := runCheck(t, code, s)
		if len(got) != 1 || got[0].Severity != agent.Skipped || !strings.Contains(got[0].Message, "2 containers run cloudflared") {
			t.Errorf("%s: want skipped with the reason, got %+v", code, got)
		}
	}
}

// joiner is a container in cloudflared's namespace (network_mode:
// service:cloudflared).
func joiner(name string) *dockernet.Container {
	c := ctr(name)
	c.NetworkMode = "container:" + fmt.Sprintf("%-64s", "cloudflared-id")
	return c
}

func withSelf(s *agent.Snapshot, name string) *agent.Snapshot {
	s.Docker.Self = s.Docker.Topology.Container(name)
	s.Docker.SharesNamespace = true
	return s
}

// orphan is a cloudflared joined to a container that was removed.
func orphan() *dockernet.Container {
	c := cfCtr()
	c.NetworkMode = "container:" + strings.Repeat("d", 64)
	return c
}
