package dockernet

import (
	"context"
	"fmt"
	"testing"
)

// bigHost is a synthetic host: 500 containers on 50 networks, cloudflared
// on 5 of them, and 1,000 rule hosts (most resolve, some are typos, some
// are on networks cloudflared is not on).
func bigHost() (*synthHost, []string) {
	h := newSynth()
	for n := 0; n < 50; n++ {
		h.addNetwork(fmt.Sprintf("net%02d", n), n%10 == 9, false)
	}
	h.add(synthC{name: "cloudflared", image: "cloudflare/cloudflared:2026.9.0",
		nets: map[string][]string{"net00": nil, "net01": nil, "net02": nil, "net03": nil, "net04": nil}})
	for i := 1; i < 500; i++ {
		proj := fmt.Sprintf("p%02d", i%50)
		h.add(synthC{
			name:   fmt.Sprintf("%s-svc%03d-1", proj, i),
			image:  "app:1",
			nets:   map[string][]string{fmt.Sprintf("net%02d", i%50): {fmt.Sprintf("svc%03d", i)}},
			labels: map[string]string{LabelProject: proj, LabelService: fmt.Sprintf("svc%03d", i)},
		})
	}
	hosts := make([]string, 1000)
	for r := range hosts {
		switch r % 4 {
		case 0, 1:
			hosts[r] = fmt.Sprintf("svc%03d", 1+r%499)
		case 2:
			hosts[r] = fmt.Sprintf("p%02d-svc%03d-1", (1+r%499)%50, 1+r%499)
		default:
			hosts[r] = fmt.Sprintf("svc%03dx", 1+r%499) // typo
		}
	}
	return h, hosts
}

// loadBig loads the big host and finds cloudflared in it.
func loadBig(tb testing.TB) (h *synthHost, hosts []string, topo *Topology, cf *Container) {
	tb.Helper()
	h, hosts = bigHost()
	topo, err := Load(context.Background(), h)
	if err != nil {
		tb.Fatal(err)
	}
	return h, hosts, topo, topo.Container("cloudflared")
}

func reason(b *testing.B, h *synthHost, hosts []string) int {
	ctx := context.Background()
	topo, err := Load(ctx, h)
	if err != nil {
		b.Fatal(err)
	}
	cf := topo.Container("cloudflared")
	topo.Inspect(ctx, h, cf.ID)
	unresolved := 0
	for _, host := range hosts {
		r := topo.Resolve(cf, host)
		if r.Kind != ResolveContainers {
			unresolved++
			_ = topo.Suggest(cf, host, 3)
		}
	}
	return unresolved
}

// BenchmarkTopologyReasoning: one run's reasoning on 500 containers, 50
// networks and 1,000 rules (load, inspect cloudflared, resolve every rule,
// suggest names for the unresolved ones).
func BenchmarkTopologyReasoning(b *testing.B) {
	h, hosts := bigHost()
	b.ReportAllocs()
	for b.Loop() {
		reason(b, h, hosts)
	}
	b.ReportMetric(float64(h.calls.Load())/float64(b.N), "api-calls/run")
}

// BenchmarkResolve is one Resolve on the big host.
func BenchmarkResolve(b *testing.B) {
	_, _, topo, cf := loadBig(b)
	b.ReportAllocs()
	for b.Loop() {
		topo.Resolve(cf, "svc250")
	}
}

func TestBigHostReasoning(t *testing.T) {
	h, hosts, topo, cf := loadBig(t)
	var kinds = map[ResolveKind]int{}
	for _, host := range hosts {
		kinds[topo.Resolve(cf, host).Kind]++
	}
	// Compose service names resolve (compose adds them as aliases) even
	// before the origins are inspected; container names too.
	if kinds[ResolveContainers] == 0 || kinds[ResolveUpstream] == 0 {
		t.Errorf("unexpected verdict mix: %v", kinds)
	}
	if calls := h.calls.Load(); calls != 2 {
		t.Errorf("Load on 500 containers made %d calls, want 2", calls)
	}
}

// BenchmarkResolveAllRules resolves the 1,000 rules of the big host from
// cloudflared, without did-you-mean searches.
func BenchmarkResolveAllRules(b *testing.B) {
	_, hosts, topo, cf := loadBig(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, host := range hosts {
			topo.Resolve(cf, host)
		}
	}
}
