package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Issue 10, bullet 4: exit 0 only when the hops asked about were checked.

// closedAddr is a loopback address nothing listens on (a port just freed).
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

func TestCheckWithNothingReachableExits3WhateverFailOn(t *testing.T) {
	env := []string{"TUNNELDOCTOR_DOCKER_HOST=unix:///nonexistent/docker.sock", "TUNNELDOCTOR_METRICS=off",
		"TUNNELDOCTOR_NO_PROBE=true", "TUNNELDOCTOR_PUBLIC_PROBE=off", "TUNNELDOCTOR_NO_STATUS_PAGE=true"}
	for _, failOn := range []string{"warn", "error"} {
		r, got := checkJSON(t, env, "--fail-on", failOn)
		if r.code != 3 || got["exit_code"] != float64(3) || !strings.Contains(r.stderr, "could not examine the tunnel") {
			t.Errorf("--fail-on %s: %v", failOn, r)
		}
	}
}

func TestCheckWithASilentExplicitMetricsIsNeverHealthy(t *testing.T) {
	env := []string{"TUNNELDOCTOR_DOCKER_HOST=off", "TUNNELDOCTOR_NO_PROBE=true", "TUNNELDOCTOR_PUBLIC_PROBE=off", "TUNNELDOCTOR_NO_STATUS_PAGE=true"}
	addr := closedAddr(t)
	for _, failOn := range []string{"warn", "error"} {
		r, got := checkJSON(t, env, "--config", example("config.yml"), "--metrics", addr, "--fail-on", failOn)
		if r.code == 0 || got["exit_code"] == float64(0) {
			t.Errorf("--fail-on %s, --metrics %s silent: exit 0\n%v", failOn, addr, r)
		}
		if failOn == "error" && (r.code != 3 || !strings.Contains(r.stderr, "--metrics "+addr+" did not answer")) {
			t.Errorf("--fail-on error: %v", r)
		}
	}
}

// A metrics server whose /config is not cloudflared's JSON: a finding, and
// never "healthy" with every hostname check skipped.
func TestCheckWithAnUnusableConfigEndpoint(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":  "<html>welcome to nginx</html>",
		"broken":    `{"version":3,"config":{"ingress":[{"hostname":`,
		"oversized": `{"version":3,"config":{"ingress":[{"service":"http_status:404","x":"` + strings.Repeat("a", 9<<20) + `"}]}}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/ready":
					_, _ = w.Write([]byte(`{"status":200,"readyConnections":4,"connectorId":"3d3a6b8e-2d3c-4b43-9b5e-5f6a4c3b2a10"}`))
				case "/config":
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(body))
				case "/metrics":
					_, _ = w.Write([]byte("build_info{goversion=\"go1.26.4\",revision=\"\",type=\"\",version=\"2026.8.2\"} 1\ncloudflared_tunnel_ha_connections 4\n"))
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			env := []string{"TUNNELDOCTOR_DOCKER_HOST=off", "TUNNELDOCTOR_NO_PROBE=true", "TUNNELDOCTOR_PUBLIC_PROBE=off", "TUNNELDOCTOR_NO_STATUS_PAGE=true"}
			addr := strings.TrimPrefix(srv.URL, "http://")
			r, got := checkJSON(t, env, "--metrics", addr, "--fail-on", "error")
			if r.code == 0 || got["exit_code"] == float64(0) {
				t.Errorf("exit 0 with /config unusable\n%v", r)
			}
			found := false
			for _, f := range got["findings"].([]any) {
				f := f.(map[string]any)
				if f["code"] == "TUN017" && f["severity"] == "warn" && strings.Contains(f["message"].(string), "no hostname, network, origin or protocol check ran") {
					found = true
				}
			}
			if !found {
				t.Errorf("no TUN017 warning:\n%s", r.stdout)
			}
		})
	}
}

// TestCheckExitBlindIsCantRun: errors about tunneldoctor's own view alone
// (AGT) mean the tunnel was not examined: exit 3, not 2; a real error on the
// request path beside them still exits 2.
func TestCheckExitBlindIsCantRun(t *testing.T) {
	snap := &agent.Snapshot{Ingress: agent.IngressFacts{Config: &tunnelcfg.Config{}}}
	agt := agent.Finding{Code: "AGT102", Severity: agent.Error, Rule: agent.NoRule}
	net := agent.Finding{Code: "NET001", Severity: agent.Error, Rule: 0}
	if exit, why := checkExit(snap, []agent.Finding{agt}, agent.Error, collect.Options{}); exit != agent.ExitCantRun || why == "" {
		t.Errorf("AGT102 alone: exit %d (%q), want 3 with a reason", exit, why)
	}
	if exit, _ := checkExit(snap, []agent.Finding{agt, net}, agent.Error, collect.Options{}); exit != agent.ExitErrors {
		t.Errorf("AGT102 + NET001: exit %d, want 2", exit)
	}
}

// The AGT102 reason on stderr says each thing once: the ingress reason
// already quotes cloudflared's, which quotes the discovery error.
func TestNotExaminedReasonSaysEachThingOnce(t *testing.T) {
	cf := "3 containers run cloudflared; say which with --cloudflared NAME, or give --metrics HOST:PORT"
	snap := &agent.Snapshot{}
	snap.Cloudflared.Missing = cf
	snap.Ingress.Missing = "no ingress configuration found (" + cf + "); pass --config FILE"
	exit, why := checkExit(snap, nil, agent.Error, collect.Options{})
	if exit != agent.ExitCantRun {
		t.Errorf("exit %d", exit)
	}
	for _, once := range []string{"3 containers run cloudflared", "--cloudflared NAME", "--metrics", "pass --config FILE"} {
		if n := strings.Count(why, once); n != 1 {
			t.Errorf("%q said %d times in %q", once, n, why)
		}
	}
	snap.Ingress.Missing = "no ingress configuration found: cloudflared's metrics server could not be read; pass --config FILE"
	if _, why := checkExit(snap, nil, agent.Error, collect.Options{}); !strings.Contains(why, cf) || !strings.Contains(why, "metrics server could not be read") {
		t.Errorf("a reason the ingress one does not quote is kept: %q", why)
	}
}
