package collect

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

func TestCollectProbesReachesEveryOrigin(t *testing.T) {
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hi "+r.Host)
	}))
	t.Cleanup(web.Close)
	s := &agent.Snapshot{}
	s.Docker.Missing = "docker disabled"
	s.Ingress.Config = &tunnelcfg.Config{Rules: []tunnelcfg.Rule{
		{Hostname: "app.example.com", Service: web.URL},
		{Service: "http_status:404"},
	}}
	collectProbes(context.Background(), Options{Probes: ProbeOptions{Anywhere: true}}, s)
	if !s.Probes.Available() || len(s.Probes.Results) != 1 || len(s.Probes.NotProbed) != 1 {
		t.Fatalf("probes %+v", s.Probes)
	}
	r := s.Probes.Results[0]
	if !r.OK() || r.HTTP.BodySample != "hi app.example.com" || r.Target.ConnectTimeout != tunnelcfg.DefaultConnectTimeout {
		t.Errorf("result %+v", r)
	}
	if s.Probes.Vantage != agent.VantageUnknown {
		t.Errorf("without Docker facts the vantage is unknown, got %q", s.Probes.Vantage)
	}
	if r.Limit != probe.DefaultMaxTime {
		t.Errorf("limit %v", r.Limit)
	}
}

func TestCollectProbesGaps(t *testing.T) {
	s := &agent.Snapshot{}
	s.Ingress.Missing = "no configuration found: pass --config FILE"
	collectProbes(context.Background(), Options{}, s)
	if s.Probes.Available() || !strings.Contains(s.Probes.Missing, "--config") {
		t.Errorf("missing ingress: %q", s.Probes.Missing)
	}
	s = &agent.Snapshot{}
	collectProbes(context.Background(), Options{Probes: ProbeOptions{Disabled: "origin probes disabled by --no-probe"}}, s)
	if s.Probes.Missing != "origin probes disabled by --no-probe" {
		t.Errorf("disabled: %q", s.Probes.Missing)
	}
}

func TestProbeVantage(t *testing.T) {
	s := &agent.Snapshot{}
	if v := probeVantage(s); v != agent.VantageUnknown {
		t.Errorf("no cloudflared container: %q", v)
	}
	s.Docker.Cloudflared = &dockernet.Container{Name: "cloudflared"}
	if v := probeVantage(s); v != agent.VantageOwn {
		t.Errorf("cloudflared found, namespace not shared: %q", v)
	}
	s.Docker.SharesNamespace = true
	if v := probeVantage(s); v != agent.VantageCloudflared {
		t.Errorf("shared namespace: %q", v)
	}
}

// With only a config file (no cloudflared container, no metrics server) a
// probe from here would not show what cloudflared sees: the probes are a Gap
// that names the way out, unless --probe-anywhere asks for them.
func TestCollectProbesNeedCloudflaredUnlessAnywhere(t *testing.T) {
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(web.Close)
	cfg := &tunnelcfg.Config{Rules: []tunnelcfg.Rule{{Service: web.URL}}}

	s := &agent.Snapshot{Ingress: agent.IngressFacts{Config: cfg}}
	s.Docker.Missing = "docker disabled"
	collectProbes(context.Background(), Options{}, s)
	if s.Probes.Available() || !strings.Contains(s.Probes.Missing, "--probe-anywhere") || len(s.Probes.Results) != 0 {
		t.Fatalf("no cloudflared found: probes = %+v", s.Probes)
	}

	s = &agent.Snapshot{Ingress: agent.IngressFacts{Config: cfg}}
	s.Docker.Missing = "docker disabled"
	s.Cloudflared.MetricsAddr = "127.0.0.1:20241" // a host install answered
	collectProbes(context.Background(), Options{}, s)
	if !s.Probes.Available() || len(s.Probes.Results) != 1 {
		t.Fatalf("cloudflared's metrics server answered: probes = %+v", s.Probes)
	}
}
