package status

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/watch"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// manyRules is a run over n rules (and a catch-all) where every rule whose
// index is a multiple of every is broken: an exited container, with a
// fix text, on its path.
func manyRules(n, every int) watch.Result {
	cfg := &tunnelcfg.Config{Origin: tunnelcfg.FromFile, Version: tunnelcfg.LocalVersion}
	var findings []agent.Finding
	for i := 0; i < n; i++ {
		host, svc := fmt.Sprintf("app%d.example.com", i), fmt.Sprintf("http://web%d:8080", i)
		cfg.Rules = append(cfg.Rules, tunnelcfg.Rule{Index: i, Hostname: host, Service: svc})
		if i%every == 0 {
			findings = append(findings, agent.Finding{Code: "ORG001", Severity: agent.Error, Hop: agent.HopOrigin,
				Hostname: host, Rule: i, Service: svc, Message: fmt.Sprintf("container web%d exited with code 137", i),
				Fix: fmt.Sprintf("docker start web%d", i)})
		}
	}
	cfg.Rules = append(cfg.Rules, tunnelcfg.Rule{Index: n, Service: "http_status:404"})
	snap := &agent.Snapshot{Taken: time.Now(), Tunnel: agent.TunnelInfo{Connected: ptr(true)}, Ingress: agent.IngressFacts{Config: cfg}}
	return watch.Result{Seq: 1, Started: snap.Taken, Snapshot: snap, Findings: findings, Open: findings}
}

// TestLargeTunnelPageIsBounded: with 10,000 rules, 300 of them broken, the
// page stays small, names every broken rule (the first ones in full, with
// their fix), and pages through the healthy ones with ?page=.
func TestLargeTunnelPageIsBounded(t *testing.T) {
	r := manyRules(10_000, 33) // rules 0, 33, 66, ...: 304 broken
	store := NewStore(nil)
	store.Publish(r)
	srv := httptest.NewServer(Handler(store, 5))
	defer srv.Close()
	get := func(q string) string {
		t.Helper()
		res, err := srv.Client().Get(srv.URL + "/" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(res.Body)
		return b.String()
	}
	const bound = 256 << 10
	page := get("")
	if len(page) > bound {
		t.Errorf("page 1 is %d bytes, want at most %d", len(page), bound)
	}
	for i := 0; i < 10_000; i += 33 {
		if !strings.Contains(page, fmt.Sprintf(`data-rule="%d"`, i)) {
			t.Fatalf("broken rule %d is not on the page", i)
		}
	}
	if !strings.Contains(page, "docker start web0") || !strings.Contains(page, "page 1 of") || !strings.Contains(page, `href="?page=2"`) {
		t.Errorf("page 1 lacks the first broken rule's fix or the pager")
	}
	if !strings.Contains(page, `data-rule="1"`) || strings.Contains(page, `data-rule="9998"`) {
		t.Errorf("page 1 should show the first healthy rules only")
	}
	last := get("?page=999999")
	if len(last) > bound || !strings.Contains(last, `data-rule="9998"`) || !strings.Contains(last, `data-rule="9966"`) {
		t.Errorf("the last page (clamped) should show the last healthy rules and every broken one (%d bytes)", len(last))
	}
	if bad := get("?page=nonsense"); !strings.Contains(bad, "page 1 of") {
		t.Errorf("a bad ?page= should show page 1")
	}
}

// TestAllBrokenPageIsBounded: 10,000 broken rules still fit the bound (one
// line each past the first ones) and are all named.
func TestAllBrokenPageIsBounded(t *testing.T) {
	r := manyRules(10_000, 1)
	var buf bytes.Buffer
	if err := RenderPageAt(&buf, View{Latest: &r, Started: time.Now()}, 5, 1); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 2<<20 {
		t.Errorf("page is %d bytes, want at most 2 MiB", buf.Len())
	}
	for _, i := range []int{0, 49, 50, 5000, 9999} {
		if !strings.Contains(buf.String(), fmt.Sprintf(`data-rule="%d"`, i)) {
			t.Errorf("broken rule %d is not on the page", i)
		}
	}
}

// TestSmallTunnelPageUnpaged: a tunnel with few paths keeps rule order and
// shows no pager.
func TestSmallTunnelPageUnpaged(t *testing.T) {
	r := manyRules(20, 3)
	var buf bytes.Buffer
	if err := RenderPage(&buf, View{Latest: &r, Started: time.Now()}, 5); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	if strings.Contains(s, "pager") || strings.Index(s, `data-rule="1"`) > strings.Index(s, `data-rule="3"`) {
		t.Errorf("small tunnel: want every row in rule order, no pager")
	}
}

// BenchmarkStatusPage10000 measures rendering the status page of 10,000
// rules (issue 12: 22 MB before it was paged), 1 in 33 or all broken:
//
//	go test ./agent/status -run '^$' -bench StatusPage10000 -benchmem
func BenchmarkStatusPage10000(b *testing.B) {
	for _, every := range []int{33, 1} {
		r := manyRules(10_000, every)
		b.Run(fmt.Sprintf("broken=1in%d", every), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				var buf bytes.Buffer
				if err := RenderPageAt(&buf, View{Latest: &r, Started: time.Now()}, 5, 1); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(size)/1024, "page-KiB")
		})
	}
}
