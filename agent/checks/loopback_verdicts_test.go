package checks_test

import (
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Issue 10, bullets 1 to 3 on hand-built snapshots; the same situations run
// against the real daemon in agent/dockerit/verdicts_test.go.

func refusedProbe(rule int, service, host, addr string) probe.Result {
	return probe.Result{Target: probe.Target{Rule: rule, Hostname: "app0.example.com", Service: service, Kind: probe.KindHTTP,
		Network: "tcp", Address: addr, Host: host},
		Phase: probe.PhaseConnect, Cause: probe.CauseRefused, Error: "dial tcp " + addr + ": connect: connection refused"}
}

func okProbe(rule int, service, host, addr string) probe.Result {
	r := refusedProbe(rule, service, host, addr)
	r.Phase, r.Cause, r.Error = "", "", ""
	r.HTTP = &probe.HTTPPhase{Status: 200, Proto: "HTTP/1.1"}
	return r
}

func sev(fs []agent.Finding) []agent.Severity {
	var out []agent.Severity
	for _, f := range fs {
		out = append(out, f.Severity)
	}
	return out
}

// An exporter sidecar shares cloudflared's namespace; the rule names
// localhost:5000, which nobody declares.
func sidecarHost(probes ...probe.Result) *agent.Snapshot {
	cf := cfCtr(netApps)
	exporter := joiner("exporter")
	exporter.ExposedPorts = []string{"9100/tcp"}
	web := ctr("web", netApps)
	web.ExposedPorts = []string{"5000/tcp"}
	s := host([]*dockernet.Container{cf, exporter, web}, "http://localhost:5000")
	if len(probes) > 0 {
		s.Probes = agent.ProbeFacts{Results: probes, Vantage: agent.VantageCloudflared}
	}
	return s
}

func TestLocalhostRuleWithANamespaceSharer(t *testing.T) {
	refused := refusedProbe(0, "http://localhost:5000", "localhost", "localhost:5000")

	// Probed from cloudflared's namespace and refused: NET002 and PRB012
	// are both errors, name the sharer as not the origin, and point the
	// rule at the container that exposes the port.
	s := sidecarHost(refused)
	net := runCheck(t, "NET002", s)
	if len(net) != 1 || net[0].Severity != agent.Error {
		t.Fatalf("NET002: %+v", net)
	}
	for _, w := range []string{"shared with exporter (exposes 9100/tcp)", "none of them declares port 5000", "nothing listens on port 5000", "502"} {
		if !strings.Contains(net[0].Message, w) {
			t.Errorf("NET002 message lacks %q: %s", w, net[0].Message)
		}
	}
	if !strings.Contains(net[0].Fix, "service: http://web:5000") {
		t.Errorf("NET002 fix: %s", net[0].Fix)
	}
	prb := runCheck(t, "PRB012", s)
	if len(prb) != 1 || prb[0].Severity != agent.Error || !strings.Contains(prb[0].Message, "the localhost rule is wrong") ||
		!strings.Contains(prb[0].Fix, "service: http://web:5000") || prb[0].Evidence["origin_container"] != "" {
		t.Fatalf("PRB012 (the sidecar is no origin): %+v", prb)
	}

	// Not probed: whether the sidecar listens on 5000 is unknown (info).
	if got := runCheck(t, "NET002", sidecarHost()); len(got) != 1 || got[0].Severity != agent.Info ||
		!strings.Contains(got[0].Fix, "--network container:cloudflared") {
		t.Fatalf("unprobed NET002: %+v", got)
	}

	// The probe reached something on 5000: the sidecar listens, no fault.
	if got := runCheck(t, "NET002", sidecarHost(okProbe(0, "http://localhost:5000", "localhost", "localhost:5000"))); len(got) != 0 {
		t.Fatalf("answered, yet NET002: %+v", got)
	}

	// The sidecar declares 5000 but refuses: it is the origin, named, and
	// PRB012 is the error (NET002 stays quiet: the rule is right).
	s = sidecarHost(refused)
	s.Docker.Topology.Container("exporter").ExposedPorts = []string{"5000/tcp"}
	if got := runCheck(t, "NET002", s); len(got) != 0 {
		t.Fatalf("a sharer declares the port, yet NET002: %+v", got)
	}
	prb = runCheck(t, "PRB012", s)
	if len(prb) != 1 || prb[0].Severity != agent.Error || prb[0].Evidence["origin_container"] != "exporter" ||
		!strings.Contains(prb[0].Message, "container exporter shares") {
		t.Fatalf("PRB012 with the sharer as origin: %+v", prb)
	}
}

func TestLocalhostRefusedFromAnotherNamespaceIsUnknown(t *testing.T) {
	s := sidecarHost(refusedProbe(0, "http://localhost:5000", "localhost", "localhost:5000"))
	s.Probes.Vantage = agent.VantageOwn
	if got := runCheck(t, "PRB012", s); len(got) != 1 || got[0].Severity != agent.Info {
		t.Fatalf("%v %+v", sev(got), got)
	}
}

func bindHost(logs ...string) (*agent.Snapshot, *dockernet.Container) {
	cf := cfCtr(netApps)
	web := ctr("web", netApps)
	web.ExposedPorts = []string{"5000/tcp"}
	web.Endpoints[0].Aliases = []string{"web"}
	s := host([]*dockernet.Container{cf, web}, "http://web:5000")
	s.Probes = agent.ProbeFacts{Results: []probe.Result{refusedProbe(0, "http://web:5000", "web", "web:5000")}, Vantage: agent.VantageCloudflared}
	if len(logs) > 0 {
		s.Docker.Logs = map[string][]string{web.ID: logs}
	}
	return s, web
}

func TestAppBoundToLoopbackInItsContainer(t *testing.T) {
	for _, tc := range []struct {
		name, line, fix string
	}{
		{"no log", "", "listen on 0.0.0.0:5000 instead of 127.0.0.1:5000"},
		{"flask", " * Running on http://127.0.0.1:5000", "flask run --host 0.0.0.0 --port 5000"},
		{"uvicorn", "INFO:     Uvicorn running on http://127.0.0.1:5000 (Press CTRL+C to quit)", "uvicorn main:app --host 0.0.0.0 --port 5000"},
		{"node", "Server listening on 127.0.0.1:5000", "HOST=0.0.0.0"},
		{"gunicorn", "[INFO] Listening at: http://127.0.0.1:5000 (1)", "gunicorn --bind 0.0.0.0:5000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s *agent.Snapshot
			if tc.line == "" {
				s, _ = bindHost()
			} else {
				s, _ = bindHost("GET /healthz 200", tc.line, "GET / 200")
			}
			got := runCheck(t, "PRB012", s)
			if len(got) != 1 || got[0].Severity != agent.Error {
				t.Fatalf("%+v", got)
			}
			f := got[0]
			if strings.Contains(f.Message, "nothing listens") || !strings.Contains(f.Message, "exposes port 5000") {
				t.Errorf("message: %s", f.Message)
			}
			if !strings.Contains(f.Fix, tc.fix) {
				t.Errorf("fix lacks %q: %s", tc.fix, f.Fix)
			}
			if tc.line != "" && (f.Evidence["log_line"] != strings.TrimSpace(tc.line) || !strings.Contains(f.Message, strings.TrimSpace(tc.line))) {
				t.Errorf("log line not quoted: %q / %s", f.Evidence["log_line"], f.Message)
			}
		})
	}
	// A log line about another port is no evidence for this one.
	s, _ := bindHost("Running on http://127.0.0.1:8000")
	if got := runCheck(t, "PRB012", s); len(got) != 1 || got[0].Evidence["log_line"] != "" {
		t.Fatalf("%+v", got)
	}
}

func TestProbeFromOwnNamespaceWhileDockerResolvesIsUnknown(t *testing.T) {
	s, _ := bindHost()
	r := refusedProbe(0, "http://web:5000", "web", "web:5000")
	r.Phase, r.Cause, r.Error = probe.PhaseDNS, probe.CauseDNSNotFound, "lookup web on 192.168.1.1:53: no such host"
	s.Probes = agent.ProbeFacts{Results: []probe.Result{r}, Vantage: agent.VantageOwn}
	got := runCheck(t, "PRB013", s)
	if len(got) != 1 || got[0].Severity != agent.Info || !strings.Contains(got[0].Message, "answered by container web on shop_default") ||
		!strings.Contains(got[0].Fix, "--network container:cloudflared") {
		t.Fatalf("%+v", got)
	}
	// From cloudflared's namespace the same failure is an error.
	s.Probes.Vantage = agent.VantageCloudflared
	if got := runCheck(t, "PRB013", s); len(got) != 1 || got[0].Severity != agent.Error {
		t.Fatalf("%+v", got)
	}
	// A connect timeout from our namespace to an origin Docker shows on a
	// shared network: unknown too.
	r.Phase, r.Cause, r.Error = probe.PhaseConnect, probe.CauseConnectTimeout, "dial tcp 172.18.0.3:5000: i/o timeout"
	s.Probes = agent.ProbeFacts{Results: []probe.Result{r}, Vantage: agent.VantageOwn}
	if got := runCheck(t, "PRB006", s); len(got) != 1 || got[0].Severity != agent.Info {
		t.Fatalf("%+v", got)
	}
}
