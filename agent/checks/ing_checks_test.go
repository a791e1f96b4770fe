package checks

import (
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Every tunnelcfg problem kind is reported by exactly one ingress check, and
// the checks are documented.
func TestIngressChecksCoverEveryKind(t *testing.T) {
	owner := map[tunnelcfg.Kind]string{}
	codes := map[string]bool{}
	for _, pc := range ingressProblemChecks() {
		c := pc.check
		if c.Code == "" || !strings.HasPrefix(c.Code, "ING") || codes[c.Code] {
			t.Errorf("bad or duplicate code %q", c.Code)
		}
		codes[c.Code] = true
		if c.Title == "" || c.Explain == "" || c.Fix == "" || c.Run == nil || c.Hop != agent.HopIngress {
			t.Errorf("%s is not fully written: %+v", c.Code, c)
		}
		if len(c.Needs) != 1 || c.Needs[0] != agent.SourceIngress {
			t.Errorf("%s needs %v", c.Code, c.Needs)
		}
		if len(pc.kinds) == 0 {
			t.Errorf("%s covers no kind", c.Code)
		}
		for _, k := range pc.kinds {
			if other, dup := owner[k]; dup {
				t.Errorf("kind %s is covered by %s and %s", k, other, c.Code)
			}
			owner[k] = c.Code
		}
	}
	byKind := KindChecks()
	for _, k := range tunnelcfg.Kinds() {
		if owner[k] == "" {
			t.Errorf("kind %s has no check", k)
		}
		if byKind[k].Code != owner[k] {
			t.Errorf("KindChecks()[%s] = %q, want %q", k, byKind[k].Code, owner[k])
		}
	}
	if len(owner) != len(tunnelcfg.Kinds()) {
		t.Errorf("checks cover %d kinds, tunnelcfg has %d", len(owner), len(tunnelcfg.Kinds()))
	}
	if _, ok := byKind["no-such-kind"]; ok || len(byKind) != len(tunnelcfg.Kinds()) {
		t.Errorf("KindChecks has %d kinds, tunnelcfg %d", len(byKind), len(tunnelcfg.Kinds()))
	}
	inAll := map[string]bool{}
	for _, c := range All() {
		inAll[c.Code] = true
	}
	for code := range codes {
		if !inAll[code] {
			t.Errorf("%s is not in All()", code)
		}
	}
}

func ingressSnapshot(t *testing.T, yml string) *agent.Snapshot {
	t.Helper()
	cfg, ps := tunnelcfg.Parse([]byte(yml), "/etc/cloudflared/config.yml")
	ps = append(ps, tunnelcfg.Validate(cfg)...)
	return &agent.Snapshot{Taken: taken, Ingress: agent.IngressFacts{Config: cfg, Problems: ps, File: cfg, FileProblems: ps}}
}

func runIngress(s *agent.Snapshot) []agent.Finding {
	return agent.Run(s, ingressChecks())
}

func findingsOf(fs []agent.Finding, code string) []agent.Finding {
	var out []agent.Finding
	for _, f := range fs {
		if f.Code == code {
			out = append(out, f)
		}
	}
	return out
}

func TestIngressFindingsCarryRuleAndEvidence(t *testing.T) {
	s := ingressSnapshot(t, `ingress:
  - hostname: "*.example.com"
    service: http://wild:80
  - hostname: app.example.com
    service: localhost:8080
    originRequest:
      noTlsVerify: true
  - service: http_status:404
`)
	fs := runIngress(s)
	svc := findingsOf(fs, codeFor(tunnelcfg.KindServiceInvalid))
	if len(svc) != 1 {
		t.Fatalf("service findings: %+v", fs)
	}
	f := svc[0]
	if f.Severity != agent.Error || f.Rule != 1 || f.Hostname != "app.example.com" || f.Service != "localhost:8080" || f.Hop != agent.HopIngress {
		t.Errorf("%+v", f)
	}
	if f.Evidence["line"] != "5" || f.Evidence["field"] != "service" || f.Evidence["source"] != "/etc/cloudflared/config.yml" || f.Evidence["cloudflared_refuses"] != "true" {
		t.Errorf("evidence: %v", f.Evidence)
	}
	if !strings.Contains(f.Fix, "service: http://localhost:8080") {
		t.Errorf("fix: %q", f.Fix)
	}
	sh := findingsOf(fs, codeFor(tunnelcfg.KindRuleShadowed))
	if len(sh) != 1 || sh[0].Severity != agent.Warn || sh[0].Evidence["related_rules"] != "0 *.example.com" {
		t.Errorf("shadowed: %+v", sh)
	}
	uk := findingsOf(fs, codeFor(tunnelcfg.KindUnknownKey))
	if len(uk) != 1 || uk[0].Severity != agent.Warn || !strings.Contains(uk[0].Message, "noTLSVerify") {
		t.Errorf("unknown key: %+v", uk)
	}
}

func TestIngressAdviceIsInfo(t *testing.T) {
	fs := runIngress(ingressSnapshot(t, "ingress:\n  - service: http://localhost:8080\n"))
	lb := findingsOf(fs, codeFor(tunnelcfg.KindLoopbackService))
	if len(lb) != 1 || lb[0].Severity != agent.Info || lb[0].Rule != 0 {
		t.Errorf("%+v", fs)
	}
	for _, f := range fs {
		if f.Severity == agent.Error {
			t.Errorf("a valid config gave an error: %+v", f)
		}
	}
}

func TestIngressCommandLineFindings(t *testing.T) {
	s := ingressSnapshot(t, "ingress:\n  - service: http://web:80\n")
	st := tunnelcfg.ParseCommandLine([]string{"cloudflared"}, []string{"tunnel", "run", "--metrics", "0.0.0.0:2000"}, []string{"TUNNEL_TOKEN=bm90LWEtdG9rZW4="})
	s.Ingress.Settings = &st
	fs := runIngress(s)
	mis := findingsOf(fs, codeFor(tunnelcfg.KindFlagMisplaced))
	if len(mis) != 1 || mis[0].Severity != agent.Error || mis[0].Rule != agent.NoRule || mis[0].Evidence["field"] != "--metrics" {
		t.Fatalf("misplaced: %+v", fs)
	}
	tok := findingsOf(fs, codeFor(tunnelcfg.KindTokenInvalid))
	if len(tok) != 1 || strings.Contains(tok[0].Message, "bm90LWEtdG9rZW4=") {
		t.Errorf("token: %+v", tok)
	}
	up := true
	s.Tunnel.Connected = &up
	for _, f := range findingsOf(runIngress(s), codeFor(tunnelcfg.KindFlagMisplaced)) {
		if f.Severity != agent.Warn {
			t.Errorf("a connected cloudflared accepted its flags: %+v", f)
		}
	}
}

// A dashboard-managed tunnel: the file is not live, but cloudflared still
// parses it at start, so its problems are reported against the file.
func TestIngressFileProblemsWhenRemoteIsLive(t *testing.T) {
	file, fps := tunnelcfg.Parse([]byte("ingress:\n  - hostname: a.example.com\n    service: http://a:80\n"), "/etc/cloudflared/config.yml")
	fps = append(fps, tunnelcfg.Validate(file)...)
	live, err := tunnelcfg.ParseJSON([]byte(`{"version":2,"config":{"ingress":[{"service":"http://b:80"}]}}`), tunnelcfg.FromCloudflared)
	if err != nil {
		t.Fatal(err)
	}
	s := &agent.Snapshot{Ingress: agent.IngressFacts{Config: live, Problems: tunnelcfg.Validate(live), File: file, FileProblems: fps}}
	last := findingsOf(runIngress(s), codeFor(tunnelcfg.KindLastRuleNotCatchAll))
	if len(last) != 1 || last[0].Evidence["source"] != "/etc/cloudflared/config.yml" || last[0].Hostname != "a.example.com" {
		t.Errorf("%+v", last)
	}
}

func TestIngressChecksSkipWithoutIngress(t *testing.T) {
	s := &agent.Snapshot{Ingress: agent.IngressFacts{Gap: agent.Gap{Missing: "no configuration found"}}}
	for _, f := range runIngress(s) {
		if f.Severity != agent.Skipped {
			t.Errorf("%+v", f)
		}
	}
}

// codeFor is the code of the check that reports a problem kind.
func codeFor(k tunnelcfg.Kind) string { return KindChecks()[k].Code }

// A tunnel run with a token and no config: cloudflared's /config holds only
// its built-in 503 catch-all, so every hostname answers 503. That is ING004
// at Error, whether read from /config (version -1 or pushed) or the API.
func TestNoRulesInLiveConfigIsAnError(t *testing.T) {
	for _, tc := range []struct {
		json   string
		origin tunnelcfg.Origin
	}{
		{`{"version":-1,"config":{"ingress":[{"hostname":"","service":"http_status:503"}],"warp-routing":{}}}`, tunnelcfg.FromCloudflared},
		{`{"version":0,"config":{"ingress":[{"hostname":"","path":null,"service":"http_status:503"}]}}`, tunnelcfg.FromCloudflared},
		{`{"tunnel_id":"t","version":2,"config":{"ingress":[]},"source":"cloudflare"}`, tunnelcfg.FromAPI},
		{`{"tunnel_id":"t","version":2,"config":{"ingress":[{"service":"http_status:503"}]},"source":"cloudflare"}`, tunnelcfg.FromAPI},
	} {
		live, err := tunnelcfg.ParseJSON([]byte(tc.json), tc.origin)
		if err != nil {
			t.Fatal(err)
		}
		up := true
		s := &agent.Snapshot{Taken: taken, Ingress: agent.IngressFacts{Config: live, Problems: tunnelcfg.Validate(live)}}
		s.Tunnel.Connected = &up
		fs := runIngress(s)
		got := findingsOf(fs, "ING004")
		if len(got) != 1 || got[0].Severity != agent.Error || !strings.Contains(got[0].Message, "503 to every request") {
			t.Errorf("%s: want one ING004 error, got %+v", tc.json, got)
		}
		for _, f := range fs {
			if f.Code != "ING004" && f.Severity >= agent.Info && f.Rule == 0 {
				t.Errorf("%s: the implicit rule drew %s: %s", tc.json, f.Code, f.Message)
			}
		}
	}
}
