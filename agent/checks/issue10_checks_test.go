package checks

import (
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Hand-built snapshots for PRB015 (Host refused), PRB016 (WebSocket
// upgrade), ORG008 (the origin's own upstream) and the replica note. The
// same situations run against real containers in
// agent/dockerit/probeit/verdicts_docker_test.go.

func withBody(r probe.Result, body string) probe.Result {
	r.HTTP.BodySample = body
	return r
}

func TestHostRefusedNamesTheAppAndItsAllowList(t *testing.T) {
	cases := []struct {
		name    string
		r       probe.Result
		inMsg   []string
		inFix   []string
		notInFx []string
	}{
		{"vite", withBody(answered(httpTarget("http://web:5173"), 403, nil), `Blocked request. This host ("app.example.com") is not allowed.`),
			[]string{"Vite", `"app.example.com"`, "403"}, []string{"allowedHosts: ['app.example.com']", "httpHostHeader: <a name the app accepts"}, nil},
		{"django", withBody(answered(httpTarget("http://web:8000"), 400, nil), "<h1>DisallowedHost at /</h1><pre>Invalid HTTP_HOST header: 'app.example.com'."),
			[]string{"Django", "400"}, []string{"ALLOWED_HOSTS = ['app.example.com']"}, nil},
		{"nextcloud", withBody(answered(httpTarget("http://web:80"), 400, nil), "<h2>Access through untrusted domain</h2>"),
			[]string{"Nextcloud"}, []string{"trusted_domains", "occ config:system:set trusted_domains 1 --value=app.example.com"}, nil},
		{"home assistant", withBody(answered(httpTarget("http://ha:8123"), 400, map[string]string{"Server": "Python/3.13 aiohttp/3.11"}), "400: Bad Request"),
			[]string{"Home Assistant"}, []string{"use_x_forwarded_for: true", "trusted_proxies:"}, []string{"httpHostHeader"}},
		{"generic, retry proves the service host works", func() probe.Result {
			r := withBody(answered(httpTarget("http://web:3000"), 400, nil), "Invalid Host header")
			r.HostTries = []probe.HostTry{{Host: "web", Status: 200}}
			return r
		}(), []string{`with Host "web" it answers`}, []string{"httpHostHeader: web", "service: http://web:3000"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runHostRefused(hostRefused(), snap(tc.r))
			if len(got) != 1 {
				t.Fatalf("want one PRB015, got %+v", got)
			}
			for _, w := range tc.inMsg {
				if !strings.Contains(got[0].Message, w) {
					t.Errorf("message lacks %q: %s", w, got[0].Message)
				}
			}
			for _, w := range tc.inFix {
				if !strings.Contains(got[0].Fix, w) {
					t.Errorf("fix lacks %q:\n%s", w, got[0].Fix)
				}
			}
			for _, w := range tc.notInFx {
				if strings.Contains(got[0].Fix, w) {
					t.Errorf("fix has %q:\n%s", w, got[0].Fix)
				}
			}
		})
	}
	// A 403 for other reasons (a login wall) is not a Host refusal.
	if got := runHostRefused(hostRefused(), snap(withBody(answered(httpTarget("http://web:80"), 403, nil), "Forbidden: login required"))); len(got) != 0 {
		t.Errorf("unrelated 403 reported: %+v", got)
	}
}

func TestWebSocketUpgradeNotCompleted(t *testing.T) {
	r := answered(httpTarget("ws://chat:8080"), 200, nil)
	r.WebSocket = &probe.WebSocketPhase{Path: "/", Status: 200, BodySample: "ok from origin\n"}
	got := runWebsocketUpgrade(websocketUpgrade(), snap(r))
	if len(got) != 1 || got[0].Severity != agent.Warn || !strings.Contains(got[0].Message, "200 instead of 101") ||
		!strings.Contains(got[0].Message, "ok from origin") || got[0].Evidence["upgrade_status"] != "200" ||
		!strings.Contains(got[0].Fix, "proxy_set_header Upgrade $http_upgrade") {
		t.Fatalf("%+v", got)
	}
	r.WebSocket = &probe.WebSocketPhase{Path: "/", Status: 101, Accept: "x", AcceptValid: true}
	if got := runWebsocketUpgrade(websocketUpgrade(), snap(r)); len(got) != 0 {
		t.Errorf("a completed upgrade reported: %+v", got)
	}
}

// upstreamHost: cloudflared and nginx on "apps"; nginx and php on "back".
func upstreamHost(php *dockernet.Container, nginxLog ...string) *agent.Snapshot {
	apps := &dockernet.Network{ID: "n-apps", Name: "apps", Driver: "bridge"}
	back := &dockernet.Network{ID: "n-back", Name: "back", Driver: "bridge"}
	cf := &dockernet.Container{ID: "cf-id", Name: "cloudflared", State: "running", Inspected: true, NetworkMode: "apps",
		Endpoints: []dockernet.Endpoint{{NetworkID: apps.ID, NetworkName: apps.Name, IPv4: "172.18.0.2"}}}
	nginx := &dockernet.Container{ID: "nginx-id", Name: "shop-nginx-1", Service: "nginx", Project: "shop", State: "running", Inspected: true, NetworkMode: "apps",
		Endpoints: []dockernet.Endpoint{{NetworkID: apps.ID, NetworkName: apps.Name, Aliases: []string{"nginx"}, IPv4: "172.18.0.3"},
			{NetworkID: back.ID, NetworkName: back.Name, Aliases: []string{"nginx"}, IPv4: "172.19.0.3"}}}
	php.Endpoints = []dockernet.Endpoint{{NetworkID: back.ID, NetworkName: back.Name, Aliases: []string{"php"}, IPv4: "172.19.0.5"}}
	if !php.Running() {
		php.Endpoints[0].IPv4 = "" // Docker forgets a stopped container's address
	}
	r := answered(httpTarget("http://nginx:80"), 502, map[string]string{"Server": "nginx/1.27.3"})
	r.Connect.Address = "172.18.0.3:80"
	s := snap(r)
	s.Docker.Topology = dockernet.NewTopology([]*dockernet.Container{cf, nginx, php}, []*dockernet.Network{apps, back})
	s.Docker.Cloudflared = cf
	s.Docker.Logs = map[string][]string{"nginx-id": nginxLog}
	return s
}

func TestUpstreamDownFollowsOneHop(t *testing.T) {
	byName := `2026/11/22 03:00:01 [error] 29#29: *1 connect() failed (113: Host is unreachable) while connecting to upstream, client: 172.18.0.2, server: _, request: "GET / HTTP/1.1", upstream: "fastcgi://php:9000", host: "app.example.com"`
	refused := `2026/11/22 03:00:01 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.2, server: _, request: "GET / HTTP/1.1", upstream: "fastcgi://172.19.0.5:9000", host: "app.example.com"`
	mk := func(state string, exit int, oom bool) *dockernet.Container {
		return &dockernet.Container{ID: "php-id", Name: "shop-php-1", Service: "php", Project: "shop", Image: "php:8.3-fpm",
			State: state, ExitCode: exit, OOMKilled: oom, MemoryLimit: 64 << 20, Inspected: true, NetworkMode: "back"}
	}
	cases := []struct {
		name         string
		php          *dockernet.Container
		line         string
		inMsg, inFix []string
		notInFix     string
	}{
		{"exited", mk("exited", 1, false), strings.Replace(byName, "113: Host is unreachable", "111: Connection refused", 1),
			[]string{"shop-nginx-1 answered 502", "fastcgi://php:9000", "shop-php-1", "exited (exit code 1)"},
			[]string{"docker start shop-php-1", "restart: unless-stopped"}, ""},
		{"oom", mk("exited", 137, true), strings.Replace(byName, "113: Host is unreachable", "111: Connection refused", 1),
			[]string{"killed for running out of memory"}, []string{"mem_limit: 128m", "memory: 128m"}, "docker start"},
		{"running, not listening", mk("running", 0, false), refused,
			[]string{"fastcgi://172.19.0.5:9000", "shop-php-1", "at 172.19.0.5", "nothing listens on port 9000"},
			[]string{"0.0.0.0", "listen = 9000"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := runUpstreamDown(orgUpstreamDown(), upstreamHost(tc.php, "nginx starting", tc.line))
			if len(got) != 1 {
				t.Fatalf("want one ORG008, got %+v", got)
			}
			f := got[0]
			for _, w := range tc.inMsg {
				if !strings.Contains(f.Message, w) {
					t.Errorf("message lacks %q: %s", w, f.Message)
				}
			}
			for _, w := range tc.inFix {
				if !strings.Contains(f.Fix, w) {
					t.Errorf("fix lacks %q:\n%s", w, f.Fix)
				}
			}
			if tc.notInFix != "" && strings.Contains(f.Fix, tc.notInFix) {
				t.Errorf("fix has %q:\n%s", tc.notInFix, f.Fix)
			}
			if f.Hop != agent.HopOrigin || f.Evidence["upstream_container"] != "shop-php-1" || f.Evidence["origin_log"] == "" {
				t.Errorf("evidence: %+v", f)
			}
		})
	}
	// No upstream in the log: nothing to follow (PRB005 speaks alone).
	if got := runUpstreamDown(orgUpstreamDown(), upstreamHost(mk("running", 0, false), "nginx starting")); len(got) != 0 {
		t.Errorf("%+v", got)
	}
}

func TestProbeFindingNamesTheReplicaThatFailed(t *testing.T) {
	apps := &dockernet.Network{ID: "n-apps", Name: "apps", Driver: "bridge"}
	mk := func(name, ip string) *dockernet.Container {
		return &dockernet.Container{ID: name + "-id", Name: name, Service: "web", Project: "shop", State: "running", Inspected: true, NetworkMode: "apps",
			Endpoints: []dockernet.Endpoint{{NetworkID: apps.ID, NetworkName: apps.Name, Aliases: []string{"web", name}, IPv4: ip}}}
	}
	cf := mk("cloudflared", "172.18.0.2")
	cf.Service, cf.Endpoints[0].Aliases = "cloudflared", nil
	w1, w2 := mk("shop-web-1", "172.18.0.3"), mk("shop-web-2", "172.18.0.4")
	r := answered(httpTarget("http://web:8080"), 502, nil)
	r.Connect.Address = "172.18.0.4:8080"
	s := snap(r)
	s.Docker.Topology = dockernet.NewTopology([]*dockernet.Container{cf, w1, w2}, []*dockernet.Network{apps})
	s.Docker.Cloudflared = cf
	got := runOrigin5xx(origin5xx(), s)
	if len(got) != 1 || !strings.Contains(got[0].Message, "replica shop-web-2 (running at 172.18.0.4)") ||
		got[0].Evidence["replica"] != "shop-web-2" || got[0].Evidence["replica_address"] != "172.18.0.4" {
		t.Fatalf("%+v", got)
	}
}
