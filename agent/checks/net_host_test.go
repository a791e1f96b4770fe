package checks

import (
	"slices"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// hostModeSnapshot: cloudflared on the host (metrics on loopback, no
// cloudflared container), origins in Docker:
//
//	web    running, publishes 127.0.0.1:8080->80/tcp
//	shop   exited, configured to publish 127.0.0.1:8081->80/tcp
//	api    running, exposes 9000/tcp, publishes nothing
//	admin  running, publishes 127.0.0.1:19001->9001/tcp
//	db     running, exposes 5432/tcp, on network app as "db"
//	cache  running, unhealthy, at 172.18.0.9 on network app
func hostModeSnapshot(t *testing.T, rules ...string) *agent.Snapshot {
	t.Helper()
	var b strings.Builder
	b.WriteString("ingress:\n")
	for i, svc := range rules {
		b.WriteString("  - hostname: app" + string(rune('0'+i)) + ".example.com\n    service: " + svc + "\n")
	}
	b.WriteString("  - service: http_status:404\n")
	s := ingressSnapshot(t, b.String())
	app := &dockernet.Network{ID: "n-app", Name: "app", Driver: "bridge"}
	web := &dockernet.Container{ID: "c-web", Name: "web", Image: "nginx", State: "running", Inspected: true,
		Published: []dockernet.PortBinding{{ContainerPort: "80/tcp", HostIP: "127.0.0.1", HostPort: "8080"}},
		Endpoints: []dockernet.Endpoint{{NetworkID: app.ID, NetworkName: app.Name, IPv4: "172.18.0.2"}}}
	shop := &dockernet.Container{ID: "c-shop", Name: "shop", Image: "shop", State: "exited", ExitCode: 1, Inspected: true,
		PortBindings: []dockernet.PortBinding{{ContainerPort: "80/tcp", HostIP: "127.0.0.1", HostPort: "8081"}}}
	api := &dockernet.Container{ID: "c-api", Name: "api", Image: "api", State: "running", Inspected: true, Service: "api",
		ExposedPorts: []string{"9000/tcp"}}
	admin := &dockernet.Container{ID: "c-admin", Name: "admin", Image: "admin", State: "running", Inspected: true,
		Published: []dockernet.PortBinding{{ContainerPort: "9001/tcp", HostIP: "127.0.0.1", HostPort: "19001"}}}
	db := &dockernet.Container{ID: "c-db", Name: "db", Image: "postgres", State: "running", Inspected: true,
		ExposedPorts: []string{"5432/tcp"},
		Endpoints:    []dockernet.Endpoint{{NetworkID: app.ID, NetworkName: app.Name, IPv4: "172.18.0.3", Aliases: []string{"db"}}}}
	cache := &dockernet.Container{ID: "c-cache", Name: "cache", Image: "cache", State: "running", Inspected: true,
		Health:    &dockernet.Health{Status: "unhealthy", FailingStreak: 3},
		Endpoints: []dockernet.Endpoint{{NetworkID: app.ID, NetworkName: app.Name, IPv4: "172.18.0.9"}}}
	s.Docker.Topology = dockernet.NewTopology([]*dockernet.Container{admin, api, cache, db, shop, web}, []*dockernet.Network{app})
	s.Docker.Discovery = agent.Discovery{Error: "no container runs a cloudflared image or entrypoint"}
	s.Cloudflared.MetricsAddr = "127.0.0.1:20241"
	s.Probes.Missing = "not in this test"
	if !s.HostMode() {
		t.Fatal("not host mode")
	}
	return s
}

func oneOf(t *testing.T, fs []agent.Finding, code string, rule int) agent.Finding {
	t.Helper()
	var got []agent.Finding
	for _, f := range findingsOf(fs, code) {
		if f.Rule == rule && f.Severity != agent.Skipped {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("want one %s for rule %d, got %+v\nall: %+v", code, rule, got, fs)
	}
	return got[0]
}

func TestHostModePublishedPorts(t *testing.T) {
	s := hostModeSnapshot(t,
		"http://localhost:8080",    // 0: web publishes it: fine
		"http://127.0.0.1:8081",    // 1: shop would publish it but exited
		"http://localhost:9000",    // 2: api exposes 9000, unpublished
		"http://localhost:9001",    // 3: admin publishes 9001 on 19001
		"http://localhost:7000",    // 4: nobody
		"http://web:80",            // 5: container name, published on 8080
		"http://db:5432",           // 6: container name, unpublished
		"http://172.18.0.9:80",     // 7: cache by IP from the host, unhealthy
		"https://127.0.0.1:8080/x", // (invalid: a path) ignored by the parse
	)
	fs := agent.Run(s, All())
	needsProbes := map[string]bool{} // skipped here for want of probes, not for host mode
	for _, c := range All() {
		needsProbes[c.Code] = slices.Contains(c.Needs, agent.SourceProbes)
	}

	for _, f := range fs {
		if f.Severity == agent.Skipped && !needsProbes[f.Code] && (strings.HasPrefix(f.Code, "NET") || strings.HasPrefix(f.Code, "ORG")) {
			t.Errorf("host mode: %s skipped: %s", f.Code, f.Message)
		}
		if f.Rule == 0 && f.Severity > agent.Info {
			t.Errorf("rule 0 is served by web: %s %s", f.Code, f.Message)
		}
		switch f.Code {
		case "NET001", "NET002", "NET003", "NET004", "NET005", "NET006", "NET007", "NET008", "NET009", "NET010", "ING022", "AGT102":
			if f.Severity != agent.Skipped {
				t.Errorf("container-side verdict in host mode: %s %s", f.Code, f.Message)
			}
		}
	}

	exited := oneOf(t, fs, "ORG001", 1)
	contains(t, "ORG001 message", exited.Message, "shop", "exited")
	contains(t, "ORG001 evidence", exited.Evidence["reached_via"], "127.0.0.1:8081->80/tcp")
	contains(t, "ORG001 fix", exited.Fix, "docker start shop")

	exposed := oneOf(t, fs, "NET030", 2)
	contains(t, "NET030 exposed", exposed.Message, "api", "exposes port 9000", "does not publish")
	contains(t, "NET030 exposed fix", exposed.Fix, "services:\n  api:\n    ports:\n      - \"127.0.0.1:9000:9000\"", "-p 127.0.0.1:9000:9000")
	if exposed.Severity != agent.Warn || exposed.Evidence[agent.EvidenceSubject] != "api" {
		t.Errorf("unprobed NET030 = %v %v", exposed.Severity, exposed.Evidence)
	}

	other := oneOf(t, fs, "NET030", 3)
	contains(t, "NET030 other port", other.Message, "admin", "127.0.0.1:19001")
	contains(t, "NET030 other port fix", other.Fix, "service: http://localhost:19001", "\"127.0.0.1:9001:9001\"")

	nobody := oneOf(t, fs, "NET030", 4)
	contains(t, "NET030 nobody", nobody.Message, "localhost:7000", "no container publishes it")
	// Every container is some rule's: none is named, the spec is concrete.
	contains(t, "NET030 nobody fix", nobody.Fix, "compose: ports: [\"127.0.0.1:7000:7000\"]\ndocker run -p 127.0.0.1:7000:7000\n")
	if strings.Contains(nobody.Fix, "CONTAINER_PORT") || strings.Contains(nobody.Fix, "services:") {
		t.Errorf("NET030 nobody fix: a placeholder, or a container no fact points at: %s", nobody.Fix)
	}

	named := oneOf(t, fs, "NET031", 5)
	contains(t, "NET031 published", named.Message, "web does not resolve", "publishes 127.0.0.1:8080->80/tcp")
	contains(t, "NET031 published fix", named.Fix, "service: http://localhost:8080")

	unpub := oneOf(t, fs, "NET031", 6)
	contains(t, "NET031 unpublished fix", unpub.Fix, "- \"127.0.0.1:5432:5432\"", "service: http://localhost:5432")

	unhealthy := oneOf(t, fs, "ORG005", 7)
	contains(t, "ORG005 by IP", unhealthy.Message, "cache")
	contains(t, "ORG005 via", unhealthy.Evidence["reached_via"], "172.18.0.9")
}

// TestHostModeProbeDecides: with probes from the host's namespace a refused
// port is an error (nothing listens), and a port something on the host
// answers is no finding at all (a program outside Docker serves it).
func TestHostModeProbeDecides(t *testing.T) {
	s := hostModeSnapshot(t, "http://localhost:7000", "http://localhost:7001")
	s.Probes = agent.ProbeFacts{Vantage: agent.VantageCloudflared, Results: []probe.Result{
		{Target: probe.Target{Rule: 0, Hostname: "app0.example.com", Service: "http://localhost:7000", Host: "localhost", Address: "localhost:7000", Network: "tcp"},
			Error: "dial tcp 127.0.0.1:7000: connect: connection refused", Phase: probe.PhaseConnect, Cause: probe.CauseRefused},
		{Target: probe.Target{Rule: 1, Hostname: "app1.example.com", Service: "http://localhost:7001", Host: "localhost", Address: "localhost:7001", Network: "tcp"},
			Connect: &probe.ConnectPhase{Address: "127.0.0.1:7001"}, HTTP: &probe.HTTPPhase{Status: 200, Proto: "HTTP/1.1"}},
	}}
	fs := agent.Run(s, All())
	refused := oneOf(t, fs, "NET030", 0)
	if refused.Severity != agent.Error {
		t.Errorf("refused = %v", refused.Severity)
	}
	contains(t, "refused", refused.Message, "nothing listens on localhost:7000 on the host and no container publishes port 7000")
	for _, f := range findingsOf(fs, "NET030") {
		if f.Rule == 1 {
			t.Errorf("a host program answers 7001: %+v", f)
		}
	}
}

// TestHostModeOffKeepsContainerVerdicts: the same topology with a
// cloudflared container is no host mode, and the host-mode checks say
// nothing.
func TestHostModeOffKeepsContainerVerdicts(t *testing.T) {
	s := hostModeSnapshot(t, "http://localhost:9000", "http://web:80")
	cf := &dockernet.Container{ID: "c-cf", Name: "cloudflared", Image: "cloudflare/cloudflared", State: "running", Inspected: true}
	s.Docker.Topology = dockernet.NewTopology(append(s.Docker.Topology.Containers, cf), s.Docker.Topology.Networks)
	s.Docker.Cloudflared, s.Docker.Discovery = cf, agent.Discovery{How: "the only cloudflared container"}
	s.Cloudflared.Container = cf.Name
	fs := agent.Run(s, All())
	for _, code := range []string{"NET030", "NET031"} {
		for _, f := range findingsOf(fs, code) {
			if f.Severity != agent.Skipped {
				t.Errorf("not host mode: %s %s", code, f.Message)
			}
		}
	}
}

func contains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s: %q lacks %q", what, text, w)
		}
	}
}

// TestHostModeOneErrorPerRefusal: cloudflared on the host, every probe
// from the host failed. Where a host-mode finding explains the failure
// (NET030 nothing publishes the port, ORG001 its publisher is stopped,
// NET031 a container name the host cannot resolve) the probe finding
// (PRB012, PRB013) only quotes the probe, at info, and points at it: one
// error per rule, with the host's fix, never "listen on 0.0.0.0 inside its
// container" for a port nothing publishes. A running publisher that
// refuses is PRB012's, about the app in that container.
func TestHostModeOneErrorPerRefusal(t *testing.T) {
	rules := []string{
		"http://localhost:7000",  // 0: nobody
		"http://localhost:9000",  // 1: api exposes it, unpublished
		"http://localhost:9001",  // 2: admin publishes it on 19001
		"http://127.0.0.1:8081",  // 3: shop would publish it, exited
		"http://db:5432",         // 4: a container name
		"http://localhost:8080",  // 5: web publishes it, running, refuses
		"http://localhost:18443", // 6: lan publishes 8443 on 192.0.2.10 only
	}
	s := hostModeSnapshot(t, rules...)
	lan := &dockernet.Container{ID: "c-lan", Name: "lan", Image: "lan", State: "running", Inspected: true,
		Published: []dockernet.PortBinding{{ContainerPort: "18443/tcp", HostIP: "192.0.2.10", HostPort: "18443"}}}
	s.Docker.Topology = dockernet.NewTopology(append(s.Docker.Topology.Containers, lan), s.Docker.Topology.Networks)
	s.Docker.HostAddrs = []string{"192.0.2.10"}
	s.Probes = agent.ProbeFacts{Vantage: agent.VantageCloudflared}
	for i, svc := range rules {
		host, port, _ := strings.Cut(strings.TrimPrefix(svc, "http://"), ":")
		r := probe.Result{Target: probe.Target{Rule: i, Hostname: "app" + string(rune('0'+i)) + ".example.com", Service: svc,
			Kind: probe.KindHTTP, Host: host, Address: host + ":" + port, Network: "tcp"}, Phase: probe.PhaseConnect, Cause: probe.CauseRefused,
			Error: "dial tcp 127.0.0.1:" + port + ": connect: connection refused"}
		if host == "db" {
			r.Phase, r.Cause, r.Error = probe.PhaseDNS, probe.CauseDNSNotFound, "dial tcp: lookup db: no such host"
		}
		s.Probes.Results = append(s.Probes.Results, r)
	}
	fs := agent.Run(s, All())

	want := map[int]string{0: "NET030", 1: "NET030", 2: "NET030", 3: "ORG001", 4: "NET031", 5: "PRB012", 6: "NET030"}
	for rule, code := range want {
		var errs []string
		for _, f := range fs {
			if f.Rule == rule && f.Severity == agent.Error {
				errs = append(errs, f.Code+" "+f.Message)
			}
		}
		if len(errs) != 1 || !strings.HasPrefix(errs[0], code+" ") {
			t.Errorf("rule #%d (%s): want one error, %s, got %d: %q", rule, rules[rule], code, len(errs), errs)
		}
		if code == "PRB012" {
			continue
		}
		prb := "PRB012"
		if rule == 4 {
			prb = "PRB013"
		}
		quoted := oneOf(t, fs, prb, rule)
		if quoted.Severity != agent.Info || quoted.Evidence["explained_by"] != code {
			t.Errorf("rule #%d: %s = %v explained by %q, want info explained by %s", rule, prb, quoted.Severity, quoted.Evidence["explained_by"], code)
		}
		contains(t, prb+" points at "+code, quoted.Message, code+" for this rule says why")
		if strings.Contains(quoted.Fix, "0.0.0.0") {
			t.Errorf("rule #%d: %s still tells to listen on 0.0.0.0: %s", rule, prb, quoted.Fix)
		}
	}

	nobody := oneOf(t, fs, "NET030", 0)
	if strings.Contains(nobody.Fix, "CONTAINER_PORT") {
		t.Errorf("NET030 fix has a placeholder: %s", nobody.Fix)
	}
	// cache is the only running container that declares no port and no
	// rule reaches: the fix names it.
	contains(t, "NET030 nobody fix", nobody.Fix, "services:\n  cache:\n    ports:\n      - \"127.0.0.1:7000:7000\"", "-p 127.0.0.1:7000:7000",
		"127.0.0.1:7000:80 for an app on 80")

	lanF := oneOf(t, fs, "NET030", 6)
	contains(t, "NET030 other address", lanF.Message, "lan publishes its port 18443 on 192.0.2.10:18443 instead")
	contains(t, "NET030 other address fix", lanF.Fix, "service: http://192.0.2.10:18443", "- \"127.0.0.1:18443:18443\"")

	refusing := oneOf(t, fs, "PRB012", 5)
	contains(t, "PRB012 running publisher", refusing.Message, "although container web publishes 127.0.0.1:8080->80/tcp", "port 80 on 0.0.0.0")
	contains(t, "PRB012 running publisher fix", refusing.Fix, "listen on 0.0.0.0:80 inside its container", "docker logs web")
	if strings.Contains(refusing.Message, "cloudflared's own container") {
		t.Errorf("host mode: PRB012 says localhost is cloudflared's container: %s", refusing.Message)
	}
}
