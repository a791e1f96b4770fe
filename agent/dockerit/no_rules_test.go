package dockerit

import (
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// A tunnel run with a token and no config at all: cloudflared's /config
// holds only its built-in http_status:503 catch-all, so every hostname
// answers 503. That is ING004 at Error, not a healthy tunnel.
func TestTokenWithoutIngressIsNoRules(t *testing.T) {
	t.Parallel()
	dockertest.RequireDocker(t)
	net := dockertest.Network(t, "tunnorules", dockertest.NetworkOptions{})
	cf := standin(t, net, nil, []string{"tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:20241", "run"})
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)

	r := diagnose(t, setup{cloudflared: cf.Name, tunnel: true, noConfig: true})
	if r.snap.Cloudflared.Config == nil || len(r.snap.Cloudflared.Config.Rules) != 1 {
		t.Fatalf("want /config with the one built-in rule:\n%s", r.dump())
	}
	f := r.one(t, "ING004", agent.Error)
	contains(t, "ING004 message", f.Message, "503 to every request")
}
