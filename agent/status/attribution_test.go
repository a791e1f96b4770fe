package status

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/report"
	"github.com/tunneldoctor/tunneldoctor/agent/watch"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// TestAttributionAgrees: for the same findings, the text report's verdict,
// the status page's chains, tunneldoctor_rule_up and /readyz agree on which
// rules are broken. The cases are the ones the four used to judge apart: a
// hostname-only edge error, a hostname-only error past the edge, a
// tunnel-wide error, a warning, and a finding about a rule the config does
// not have.
func TestAttributionAgrees(t *testing.T) {
	rules := []tunnelcfg.Rule{
		{Index: 0, Hostname: "edge.example.com", Service: "http://a:80"},
		{Index: 1, Hostname: "origin.example.com", Service: "http://b:80"},
		{Index: 2, Hostname: "warn.example.com", Service: "http://c:80"},
		{Index: 3, Hostname: "ok.example.com", Service: "http://d:80"},
		{Index: 4, Hostname: "byname.example.com", Service: "http://e:80"},
		{Index: 5, Service: "http_status:404"},
	}
	base := []agent.Finding{
		{Code: "CF020", Severity: agent.Error, Hop: agent.HopEdge, Rule: agent.NoRule, Hostname: "edge.example.com", Message: "no DNS record"},
		{Code: "ORG001", Severity: agent.Error, Hop: agent.HopOrigin, Rule: 1, Hostname: "origin.example.com", Message: "exited"},
		{Code: "PRB020", Severity: agent.Warn, Hop: agent.HopProtocol, Rule: 2, Hostname: "warn.example.com", Message: "expires soon"},
		{Code: "TUN009", Severity: agent.Error, Hop: agent.HopTunnel, Rule: agent.NoRule, Hostname: "byname.example.com", Message: "cloudflared failed to reach it"},
		{Code: "CF001", Severity: agent.Skipped, Hop: agent.HopEdge, Rule: agent.NoRule, Message: "skipped"},
	}
	tunnelDown := agent.Finding{Code: "TUN001", Severity: agent.Error, Hop: agent.HopTunnel, Rule: agent.NoRule, Message: "not connected"}
	stray := agent.Finding{Code: "ORG002", Severity: agent.Error, Hop: agent.HopOrigin, Rule: 9, Message: "a rule that is not in the config"}

	for _, tc := range []struct {
		name     string
		findings []agent.Finding
	}{
		{"per-rule", base},
		{"tunnel down", append(append([]agent.Finding(nil), base...), tunnelDown)},
		{"stray rule", append(append([]agent.Finding(nil), base...), stray)},
		{"healthy", base[2:3]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := &agent.Snapshot{Tunnel: agent.TunnelInfo{Cloudflared: "cloudflared", Connected: ptr(true)},
				Ingress: agent.IngressFacts{Config: &tunnelcfg.Config{Rules: rules}}}
			r := watch.Result{Seq: 1, Snapshot: snap, Findings: tc.findings}

			// The one judgement.
			want := map[string]bool{} // path label -> up
			anyPastEdge := false
			for _, v := range agent.Attribute(snap, tc.findings) {
				want[pathKey(v.Rule, v.Hostname)] = v.Up()
				anyPastEdge = anyPastEdge || len(v.BreakingPastEdge()) > 0
			}

			// The status page: a chain with a red hop is a broken path.
			page := map[string]bool{}
			for _, c := range Chains(&r) {
				up := true
				for _, h := range c.Hops {
					up = up && h.Colour != Red
				}
				page[pathKey(c.Rule, c.Hostname)] = up
			}
			if fmt.Sprint(page) != fmt.Sprint(want) {
				t.Errorf("status page %v, attribution %v", page, want)
			}

			// The metric.
			var m bytes.Buffer
			if err := WriteMetrics(&m, View{Latest: &r}); err != nil {
				t.Fatal(err)
			}
			metric := map[string]bool{}
			re := regexp.MustCompile(`(?m)^tunneldoctor_rule_up\{rule="(-?\d+)",hostname="([^"]*)",[^}]*\} ([01])$`)
			for _, g := range re.FindAllStringSubmatch(m.String(), -1) {
				var idx int
				fmt.Sscan(g[1], &idx)
				metric[pathKey(idx, g[2])] = g[3] == "1"
			}
			for l, up := range want {
				if idx := strings.SplitN(l, "|", 2)[0]; idx != "-1" {
					if got, ok := metric[l]; !ok || got != up {
						t.Errorf("rule_up %s = %v (present %v), attribution says up=%v", l, got, ok, up)
					}
				}
			}

			// The text report: the verdict names exactly the broken hostnames.
			var text bytes.Buffer
			if err := report.Text(&text, snap, tc.findings, report.TextOptions{}); err != nil {
				t.Fatal(err)
			}
			head, _, _ := strings.Cut(text.String(), "tunneldoctor report")
			for _, rule := range rules {
				host := rule.Hostname
				if host == "" {
					host = "(catch-all)"
				}
				named := strings.Contains(head, "  "+host+": ")
				if up := want[pathKey(rule.Index, rule.Hostname)]; named == up {
					t.Errorf("text verdict names %s = %v, attribution up = %v:\n%s", host, named, up, head)
				}
			}

			// /readyz: unready exactly when some path breaks past the edge.
			ready := Ready(&r)
			if ready.Ready == anyPastEdge {
				t.Errorf("ready = %v with breaking-past-edge = %v: %q", ready.Ready, anyPastEdge, ready.Reasons)
			}
		})
	}
}

func pathKey(rule int, host string) string { return fmt.Sprintf("%d|%s", rule, host) }
