package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// manyBroken is a stack of eight hostnames, five of them broken on
// different hops, plus the noise that used to bury them: a long tunnel-wide
// info block with plenty of evidence.
func manyBroken() (*agent.Snapshot, []agent.Finding, []string) {
	connected := true
	snap := &agent.Snapshot{Tunnel: agent.TunnelInfo{Cloudflared: "cloudflared", Connected: &connected},
		Ingress: agent.IngressFacts{Config: &tunnelcfg.Config{}}}
	var findings []agent.Finding
	broken := []string{}
	hops := []string{agent.HopNetwork, agent.HopOrigin, agent.HopProtocol, agent.HopIngress, agent.HopEdge}
	for i := 0; i < 8; i++ {
		host := fmt.Sprintf("h%d.example.com", i)
		snap.Ingress.Config.Rules = append(snap.Ingress.Config.Rules, tunnelcfg.Rule{Index: i, Hostname: host, Service: fmt.Sprintf("http://app%d:80", i)})
	}
	for i, host := range []string{"h0.example.com", "h2.example.com", "h4.example.com", "h6.example.com", "h7.example.com"} {
		rule := []int{0, 2, 4, 6, 7}[i]
		f := agent.Finding{Code: fmt.Sprintf("X%03d", i), Severity: agent.Error, Hop: hops[i], Rule: rule, Hostname: host,
			Message: "broken because of reason " + fmt.Sprint(i) + ".", Fix: "do thing " + fmt.Sprint(i) + "\nmore lines\nof fix",
			Evidence: map[string]string{"detail": strings.Repeat("evidence ", 40)}}
		if hops[i] == agent.HopEdge {
			f.Rule = agent.NoRule // edge findings name the hostname only
		}
		findings = append(findings, f)
		broken = append(broken, host)
	}
	// The long tunnel-wide block that came first.
	ev := map[string]string{}
	for i := 0; i < 15; i++ {
		ev[fmt.Sprintf("k%02d", i)] = "value"
	}
	findings = append(findings,
		agent.Finding{Code: "CF000", Severity: agent.Info, Hop: agent.HopEdge, Rule: agent.NoRule,
			Message: strings.Repeat("No Cloudflare API token was given, so the edge checks are skipped. ", 5), Fix: "Set CLOUDFLARE_API_TOKEN.", Evidence: ev},
		agent.Finding{Code: "W001", Severity: agent.Warn, Hop: agent.HopProtocol, Rule: 1, Hostname: "h1.example.com", Message: "slow."},
	)
	agent.SortFindings(findings)
	return snap, findings, broken
}

// TestTextLeadsWithBrokenHostnames: the first lines of the report name every
// broken hostname, with its hop, cause and fix, before any detail (the
// header, the groups, the evidence).
func TestTextLeadsWithBrokenHostnames(t *testing.T) {
	snap, findings, broken := manyBroken()
	var buf bytes.Buffer
	if err := Text(&buf, snap, findings, TextOptions{ExitCode: 2}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	details := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "tunneldoctor report") {
			details = i
			break
		}
	}
	if details < 0 {
		t.Fatalf("no header in\n%s", buf.String())
	}
	const n = 3 * 5 // verdict line + at most a few lines per broken hostname
	if details > n+1 {
		t.Errorf("details start at line %d, want the verdict within %d lines:\n%s", details+1, n, buf.String())
	}
	if !strings.Contains(lines[0], "5 of 8 hostnames") {
		t.Errorf("first line %q does not count the broken hostnames", lines[0])
	}
	head := strings.Join(lines[:details], "\n")
	for i, host := range broken {
		if !strings.Contains(head, host+":") {
			t.Errorf("broken %s not in the first %d lines:\n%s", host, details, head)
		}
		for _, want := range []string{fmt.Sprintf("X%03d", i), "reason " + fmt.Sprint(i), "fix: do thing " + fmt.Sprint(i)} {
			if !strings.Contains(head, want) {
				t.Errorf("verdict lacks %q for %s:\n%s", want, host, head)
			}
		}
	}
	for _, healthy := range []string{"h1.example.com", "h3.example.com", "h5.example.com"} {
		if strings.Contains(head, healthy) {
			t.Errorf("verdict names the working %s:\n%s", healthy, head)
		}
	}
	if strings.Contains(head, "CF000") || strings.Contains(head, "evidence") {
		t.Errorf("verdict carries details:\n%s", head)
	}
}

// TestTextEvidenceOnlyVerbose: evidence is behind --verbose; the JSON report
// keeps it.
func TestTextEvidenceOnlyVerbose(t *testing.T) {
	snap, findings, _ := manyBroken()
	var plain, verbose, js bytes.Buffer
	if err := Text(&plain, snap, findings, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Text(&verbose, snap, findings, TextOptions{Verbose: true}); err != nil {
		t.Fatal(err)
	}
	if err := JSON(&js, snap, findings, 2); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "Evidence:") || !strings.Contains(plain.String(), "--verbose") {
		t.Errorf("default report shows evidence or does not say how to see it:\n%s", plain.String())
	}
	if !strings.Contains(verbose.String(), "Evidence:") || !strings.Contains(verbose.String(), "k14: value") {
		t.Errorf("--verbose report lacks the evidence:\n%s", verbose.String())
	}
	if !strings.Contains(js.String(), `"k14": "value"`) {
		t.Errorf("JSON lost the evidence")
	}
	if n := strings.Count(plain.String(), "\n"); n >= strings.Count(verbose.String(), "\n") {
		t.Errorf("default report (%d lines) is not shorter than --verbose", n)
	}
}

// TestTextTunnelDownNamesEveryHostname: a tunnel-wide error breaks every
// hostname; each is named, and the cause once.
func TestTextTunnelDownNamesEveryHostname(t *testing.T) {
	snap := sampleSnapshot()
	var buf bytes.Buffer
	if err := Text(&buf, snap, sampleFindings(), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(buf.String(), "tunneldoctor report")
	if strings.Count(head, "TUN001: ") != 1 {
		t.Errorf("tunnel-wide cause not stated exactly once:\n%s", head)
	}
	for _, h := range []string{"app.example.com: network NET002", "api.example.com: down with the tunnel", "quiet.example.com:"} {
		if !strings.Contains(head, h) {
			t.Errorf("verdict lacks %q:\n%s", h, head)
		}
	}
}

// TestTextHeaderHostCloudflared: a cloudflared outside Docker whose metrics
// server answered is not "not found".
func TestTextHeaderHostCloudflared(t *testing.T) {
	connected := true
	snap := &agent.Snapshot{Tunnel: agent.TunnelInfo{Connected: &connected},
		Cloudflared: agent.CloudflaredFacts{MetricsAddr: "127.0.0.1:20241"}}
	var buf bytes.Buffer
	if err := Text(&buf, snap, nil, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "not found") || !strings.Contains(out, "answered at 127.0.0.1:20241 (connected)") {
		t.Errorf("header misnames a host cloudflared:\n%s", out)
	}
	if !strings.HasPrefix(out, "Verdict: OK") {
		t.Errorf("healthy run does not lead with OK:\n%s", out)
	}
}

// TestTextBlindIsUnknownNotBroken: when tunneldoctor could not choose
// cloudflared (an error about its own view), no hostname is "down with the
// tunnel": the verdict is unknown and names what to do.
func TestTextBlindIsUnknownNotBroken(t *testing.T) {
	snap := &agent.Snapshot{Ingress: agent.IngressFacts{Config: &tunnelcfg.Config{Rules: []tunnelcfg.Rule{
		{Index: 0, Hostname: "app.example.com", Service: "http://web:8080"}, {Index: 1, Service: "http_status:404"}}}}}
	findings := []agent.Finding{{Code: "AGT102", Severity: agent.Error, Hop: agent.HopNetwork, Rule: agent.NoRule,
		Message: "cloudflared container not identified: 2 containers run cloudflared.", Fix: "tunneldoctor check --cloudflared cf1"}}
	var buf bytes.Buffer
	if err := Text(&buf, snap, findings, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(buf.String(), "tunneldoctor report")
	if strings.Contains(head, "BROKEN") || strings.Contains(head, "down with the tunnel") {
		t.Errorf("a blind run reads as an outage:\n%s", head)
	}
	for _, want := range []string{"UNKNOWN", "tunneldoctor: network AGT102", "fix: tunneldoctor check --cloudflared cf1"} {
		if !strings.Contains(head, want) {
			t.Errorf("verdict lacks %q:\n%s", want, head)
		}
	}
	if v := agent.Attribute(snap, findings); len(v) == 0 || !v[0].Up() {
		t.Errorf("the path is judged broken by an AGT finding: %+v", v)
	}
}

// TestVerdictCountsHostnamesNotTheCatchAll: five hostnames and a catch-all
// rule are five hostnames; a broken catch-all is named beside them.
func TestVerdictCountsHostnamesNotTheCatchAll(t *testing.T) {
	connected := true
	snap := &agent.Snapshot{Tunnel: agent.TunnelInfo{Cloudflared: "cloudflared", Connected: &connected},
		Ingress: agent.IngressFacts{Config: &tunnelcfg.Config{}}}
	for i := 0; i < 5; i++ {
		snap.Ingress.Config.Rules = append(snap.Ingress.Config.Rules,
			tunnelcfg.Rule{Index: i, Hostname: fmt.Sprintf("h%d.example.com", i), Service: fmt.Sprintf("http://app%d:80", i)})
	}
	snap.Ingress.Config.Rules = append(snap.Ingress.Config.Rules, tunnelcfg.Rule{Index: 5, Service: "http://fallback:80"})
	var hostFindings []agent.Finding
	for i := 0; i < 4; i++ {
		hostFindings = append(hostFindings, agent.Finding{Code: fmt.Sprintf("X%03d", i), Severity: agent.Error, Hop: agent.HopOrigin,
			Rule: i, Hostname: fmt.Sprintf("h%d.example.com", i), Message: "down."})
	}
	catchAll := agent.Finding{Code: "X100", Severity: agent.Error, Hop: agent.HopOrigin, Rule: 5, Message: "fallback down."}
	for _, tc := range []struct {
		name     string
		findings []agent.Finding
		want     string
	}{
		{"hostnames only", hostFindings, "Verdict: BROKEN: 4 of 5 hostnames\n"},
		{"and the catch-all", append(append([]agent.Finding(nil), hostFindings...), catchAll), "Verdict: BROKEN: 4 of 5 hostnames + the catch-all\n"},
		{"the catch-all alone", []agent.Finding{catchAll}, "Verdict: BROKEN: the catch-all (0 of 5 hostnames)\n"},
	} {
		fs := append([]agent.Finding(nil), tc.findings...)
		agent.SortFindings(fs)
		var buf bytes.Buffer
		if err := Text(&buf, snap, fs, TextOptions{ExitCode: 2}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.HasPrefix(out, tc.want) {
			t.Errorf("%s: want %q first, got:\n%s", tc.name, tc.want, out)
		}
		if strings.Contains(tc.want, "catch-all") && !strings.Contains(out, "  (catch-all): ") {
			t.Errorf("%s: the broken catch-all is not listed:\n%s", tc.name, out)
		}
	}
}

// TestTextHeaderStoppedCloudflared: a stopped cloudflared is "NOT
// connected" with its container state, never "connection unknown".
func TestTextHeaderStoppedCloudflared(t *testing.T) {
	for _, connected := range []*bool{nil, new(bool)} {
		snap := &agent.Snapshot{Tunnel: agent.TunnelInfo{Cloudflared: "cf", Connected: connected},
			Cloudflared: agent.CloudflaredFacts{Container: "cf", Process: &agent.ProcessState{State: "exited", ExitCode: 1}}}
		var buf bytes.Buffer
		if err := Text(&buf, snap, nil, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if strings.Contains(out, "connection unknown") || !strings.Contains(out, "(NOT connected: container exited, exit code 1)") {
			t.Errorf("header of a stopped cloudflared:\n%s", out)
		}
	}
}
