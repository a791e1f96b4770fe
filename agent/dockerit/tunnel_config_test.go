package dockerit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// What cloudflared really runs, set up for real: a dashboard configuration
// pushed over a mounted file or over --url, a configuration it refuses, and
// its own "Unable to reach the origin service" lines in JSON beside the
// network verdict for the same rule. tunneldoctor gets no --config: it
// learns the rules from cloudflared as it does by default.

func TestDashboardConfigOverridesMountedFile(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "tunpush", dockertest.NetworkOptions{})
	web := origin(t, im.origin, net, nil)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "config.yml")
	body := "ingress:\n  - hostname: app.example.com\n    service: http://" + web.Name + ":9090\n  - service: http_status:404\n"
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	remote := `{"ingress":[{"hostname":"app.example.com","service":"http://` + web.Name + `:8080"},{"service":"http_status:404"}]}`
	cf := standin(t, net, []string{"STANDIN_CONFIG_JSON=" + remote, "STANDIN_VERSION=3"}, nil,
		func(s *dockertest.Spec) { s.Volumes = []string{dir + ":/etc/cloudflared:ro"} })
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	dockertest.WaitLog(t, cf.ID, "Updated to new configuration", 20*time.Second)

	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true, noConfig: true})
	if r.snap.Ingress.File == nil || r.snap.Ingress.File.Path != file {
		t.Fatalf("the mounted file was not found through the mount: %+v\n%s", r.snap.Ingress.File, r.dump())
	}
	f := r.one(t, "TUN012", agent.Warn)
	contains(t, "TUN012 message", f.Message, "version 3", file, "1 rule(s) differ")
	contains(t, "TUN012 evidence", f.Evidence["differences"], ":9090", ":8080")
	contains(t, "TUN012 fix", f.Fix, "Public Hostname", "Remove the ingress section from "+file)
	if r.snap.Tunnel.ConfigSource != agent.ConfigSourceRemote {
		t.Errorf("config source %q, want remote", r.snap.Tunnel.ConfigSource)
	}
	// The rules judged are the ones cloudflared runs (port 8080, where the
	// origin listens), not the file's.
	r.none(t, "NET003")
	tunnelOnly(t, r, "")
}

func TestDashboardConfigIgnoresURLFlags(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "tunurl", dockertest.NetworkOptions{})
	web := origin(t, im.origin, net, nil)
	remote := `{"ingress":[{"hostname":"app.example.com","service":"http://` + web.Name + `:8080"},{"service":"http_status:404"}]}`
	cf := standin(t, net, []string{"STANDIN_CONFIG_JSON=" + remote}, []string{"tunnel", "--metrics", "0.0.0.0:20241", "run",
		"--url", "http://" + web.Name + ":9090", "--http-host-header", "app.internal"})
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	dockertest.WaitLog(t, cf.ID, "Updated to new configuration", 20*time.Second)

	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true, noConfig: true})
	f := r.one(t, "TUN013", agent.Warn)
	contains(t, "TUN013 message", f.Message, "--url http://"+web.Name+":9090", "--http-host-header app.internal", "version 1")
	contains(t, "TUN013 fix", f.Fix, "Remove these flags", "TUNNEL_URL", "HTTP Host Header")
	tunnelOnly(t, r, "")
}

func TestCloudflaredRefusesItsConfig(t *testing.T) {
	t.Parallel()
	dockertest.RequireDocker(t)
	net := dockertest.Network(t, "tunbad", dockertest.NetworkOptions{})
	cf := standin(t, net, []string{"STANDIN_MODE=invalid-config"}, nil)
	dockertest.WaitState(t, cf.ID, "exited", 30*time.Second)
	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true})
	f := r.one(t, "TUN011", agent.Error)
	contains(t, "TUN011 message", f.Message, cf.Name, "refused to start", "The last ingress rule must match all URLs")
	contains(t, "TUN011 fix", f.Fix, "tunneldoctor ingress validate --config")
	tunnelOnly(t, r, "TUN011")
}

func TestDashboardPushRejected(t *testing.T) {
	t.Parallel()
	dockertest.RequireDocker(t)
	net := dockertest.Network(t, "tunrej", dockertest.NetworkOptions{})
	cf := standin(t, net, []string{`STANDIN_CONFIG_JSON={"ingress":[{"service":`}, nil)
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	dockertest.WaitLog(t, cf.ID, "Failed to deserialize new configuration", 20*time.Second)
	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true})
	f := r.one(t, "TUN015", agent.Warn)
	contains(t, "TUN015 message", f.Message, cf.Name, "rejected a configuration pushed from the dashboard", "keeps running the previous one")
	contains(t, "TUN015 fix", f.Fix, "Zero Trust → Networks → Tunnels")
	tunnelOnly(t, r, "TUN015")
}

// TestOriginErrorsFromJSONLogBesideNetworkVerdict: cloudflared logs in JSON
// (--output json) that it cannot resolve rule 1's origin; tunneldoctor
// shows that real failure (TUN010) for the same rule as the network
// verdict that explains it (NET001), each with its fix.
func TestOriginErrorsFromJSONLogBesideNetworkVerdict(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	front := dockertest.Network(t, "tunjf", dockertest.NetworkOptions{})
	back := dockertest.Network(t, "tunjb", dockertest.NetworkOptions{})
	web := origin(t, im.origin, front, nil)
	lost := origin(t, im.origin, back, nil)
	remote := `{"ingress":[` +
		`{"hostname":"ok.example.com","service":"http://` + web.Name + `:8080"},` +
		`{"hostname":"lost.example.com","service":"http://` + lost.Name + `:8080"},` +
		`{"service":"http_status:404"}]}`
	cf := standin(t, front, []string{"STANDIN_CONFIG_JSON=" + remote,
		"STANDIN_ORIGIN_ERRORS=1=dial tcp: lookup " + lost.Name + " on 127.0.0.11:53: no such host"},
		[]string{"tunnel", "--output", "json", "--metrics", "0.0.0.0:20241", "run"})
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	dockertest.WaitLog(t, cf.ID, "Unable to reach the origin service", 20*time.Second)

	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true, noConfig: true})
	f := r.one(t, "TUN010", agent.Warn)
	if f.Rule != 1 || f.Hostname != "lost.example.com" || f.Evidence["cause_kind"] != "dns" {
		t.Errorf("TUN010 rule %d host %q evidence %v", f.Rule, f.Hostname, f.Evidence)
	}
	contains(t, "TUN010 message", f.Message, "http://"+lost.Name+":8080", "no such host")
	contains(t, "TUN010 fix", f.Fix, lost.Name+" does not resolve from cloudflared", "docker network connect")
	if line := f.Evidence["log_line"]; !strings.HasPrefix(line, "{") || !strings.Contains(line, `"ingressRule":1`) {
		t.Errorf("the evidence should quote cloudflared's JSON line: %s", line)
	}
	n := r.one(t, "NET001", agent.Error)
	if n.Rule != 1 {
		t.Errorf("NET001 on rule %d, want 1", n.Rule)
	}
	contains(t, "NET001 fix", n.Fix, "docker network connect "+back+" "+cf.Name)
}
