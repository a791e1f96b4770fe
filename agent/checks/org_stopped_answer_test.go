package checks_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// stoppedAnswerHost: the rule's name "web" is a network alias of a
// container on cloudflared's network, and a namesake (another compose
// project's service "web") runs on a network cloudflared is not on. The
// engine reports a stopped container's aliases in inspect data with no
// address, as API 1.41 does.
func stoppedAnswerHost(state string, exitCode int) (*agent.Snapshot, *dockernet.Container) {
	origin := ctr("tdtest-web-1a2b", netApps)
	origin.Endpoints[0].Aliases = []string{"web", "1a2b3c4d5e6f"}
	origin.State, origin.ExitCode = state, exitCode
	if state == "running" {
		origin.Endpoints[0].IPv4 = "172.30.0.5"
	}
	namesake := ctr("other_web_1", netBack)
	namesake.Project, namesake.Service = "other", "web"
	return host([]*dockernet.Container{cfCtr(netApps), origin, namesake}, "http://web:8080"), origin
}

func TestStoppedAnswerOnSharedNetworkIsTheOrigin(t *testing.T) {
	s, origin := stoppedAnswerHost("exited", 137)
	got := runCheck(t, "ORG001", s)
	if len(got) != 1 || got[0].Severity != agent.Error {
		t.Fatalf("want one ORG001 error about the stopped origin, got %+v", got)
	}
	f := got[0]
	for _, w := range []string{origin.Name, "is exited (exit code 137: killed", "docker start " + origin.Name} {
		if !strings.Contains(f.Message+"\n"+f.Fix, w) {
			t.Errorf("ORG001 lacks %q:\n%s\n%s", w, f.Message, f.Fix)
		}
	}
	if f.Evidence["origin_container"] != origin.Name || f.Evidence["exit_code"] != "137" {
		t.Errorf("ORG001 evidence names %q exit %q; want %s 137", f.Evidence["origin_container"], f.Evidence["exit_code"], origin.Name)
	}
	// The namesake elsewhere is not the origin: no "wrong network", no
	// "unknown name", and no origin finding about it.
	for _, c := range []string{"NET001", "NET003"} {
		if got := runCheck(t, c, s); len(got) != 0 {
			t.Errorf("%s fired for a name a stopped container on cloudflared's network answers: %+v", c, got)
		}
	}
	for _, c := range allOriginAndNetwork() {
		for _, f := range agent.Run(s, []agent.Check{c}) {
			if strings.Contains(f.Message, "other_web_1") {
				t.Errorf("%s is about the namesake on another network: %s", f.Code, f.Message)
			}
		}
	}
}

func TestRestartedAnswerOnSharedNetworkIsQuiet(t *testing.T) {
	s, _ := stoppedAnswerHost("running", 0)
	for _, c := range allOriginAndNetwork() {
		for _, f := range agent.Run(s, []agent.Check{c}) {
			if f.Severity > agent.Info {
				t.Errorf("unexpected %s %s once the origin runs again: %s", f.Severity, f.Code, f.Message)
			}
		}
	}
}

func TestRestartingAnswerOnSharedNetworkIsTheOrigin(t *testing.T) {
	s, origin := stoppedAnswerHost("restarting", 1)
	origin.RestartCount = 4
	got := runCheck(t, "ORG002", s)
	if len(got) != 1 || !strings.Contains(got[0].Message, origin.Name) {
		t.Fatalf("want one ORG002 about %s, got %+v", origin.Name, got)
	}
	if got := runCheck(t, "NET001", s); len(got) != 0 {
		t.Errorf("NET001 fired for a restarting origin on cloudflared's network: %+v", got)
	}
}

// allOriginAndNetwork is every network and origin-container check.
func allOriginAndNetwork() []agent.Check {
	var out []agent.Check
	for _, c := range checks.All() {
		if strings.HasPrefix(c.Code, "NET") || strings.HasPrefix(c.Code, "ORG") {
			out = append(out, c)
		}
	}
	return out
}

// A failed lookup of the origin's name is explained by ORG001 when the
// container that answers it on cloudflared's network is stopped (info,
// quoting the probe and pointing at ORG001), but not by a namesake on
// another network when the answer there is running (error: nothing else
// explains it).
func TestUnresolvedNameExplainedByTheStoppedOriginNotANamesake(t *testing.T) {
	for _, tc := range []struct {
		state string
		sev   agent.Severity
	}{{"exited", agent.Info}, {"running", agent.Error}} {
		s, _ := stoppedAnswerHost(tc.state, 0)
		s.Probes = agent.ProbeFacts{Results: []probe.Result{unresolvedWeb(0)}, Vantage: agent.VantageCloudflared}
		got := runCheck(t, "PRB013", s)
		if len(got) != 1 || got[0].Severity != tc.sev {
			t.Errorf("origin %s: want one PRB013 %s, got %+v", tc.state, tc.sev, got)
			continue
		}
		f := got[0]
		if tc.state == "exited" {
			if !strings.Contains(f.Message, `"web" does not resolve`) || !strings.Contains(f.Message, "ORG001 for this rule says why and how to fix it") {
				t.Errorf("PRB013 should quote the probe and point at ORG001: %s", f.Message)
			}
			if f.Evidence["explained_by"] != "ORG001" || strings.Contains(f.Fix, "NET findings") {
				t.Errorf("PRB013 explained_by %q, fix %q; want ORG001's", f.Evidence["explained_by"], f.Fix)
			}
		} else if f.Evidence["explained_by"] != "" {
			t.Errorf("running origin: PRB013 claims %s explains it", f.Evidence["explained_by"])
		}
	}
}

// unresolvedWeb is rule i's probe failing to resolve "web" from cloudflared.
func unresolvedWeb(i int) probe.Result {
	target := probe.Target{Rule: i, Hostname: fmt.Sprintf("app%d.example.com", i), Service: "http://web:8080", Kind: probe.KindHTTP,
		Network: "tcp", Address: "web:8080", Host: "web"}
	return probe.Result{Target: target, Phase: probe.PhaseDNS, Cause: probe.CauseDNSNotFound,
		Error: "dial tcp: lookup web on 127.0.0.11:53: no such host"}
}

// A stopped origin on cloudflared's network, and the probe of every rule
// pointing at it failing to resolve its name: every check together gives
// each rule one error, ORG001, with its fix; nothing sends the user to NET
// findings that do not exist.
func TestStoppedOriginIsOneErrorPerRule(t *testing.T) {
	s, origin := stoppedAnswerHost("exited", 0)
	rules := s.Ingress.Config.Rules // app0 -> web, then the catch-all
	second, catchAll := rules[0], rules[1]
	second.Index, second.Hostname = 1, "app1.example.com"
	catchAll.Index = 2
	s.Ingress.Config.Rules = append(rules[:1:1], second, catchAll)
	s.Probes = agent.ProbeFacts{Results: []probe.Result{unresolvedWeb(0), unresolvedWeb(1)}, Vantage: agent.VantageCloudflared}
	errs := map[int][]string{}
	for _, f := range agent.Run(s, checks.All()) {
		if f.Severity >= agent.Error {
			errs[f.Rule] = append(errs[f.Rule], f.Code)
			if f.Code == "ORG001" && !strings.Contains(f.Fix, "docker start "+origin.Name) {
				t.Errorf("ORG001 fix does not start %s: %s", origin.Name, f.Fix)
			}
		}
		if strings.Contains(f.Fix, "see the NET findings") {
			t.Errorf("%s sends the user to NET findings: %s", f.Code, f.Fix)
		}
	}
	for _, rule := range []int{0, 1} {
		if got := errs[rule]; len(got) != 1 || got[0] != "ORG001" {
			t.Errorf("rule #%d: want exactly one error, ORG001; got %v", rule, got)
		}
	}
}
