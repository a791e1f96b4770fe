package probe

import (
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

func TestTargetsUseEffectiveOriginRequest(t *testing.T) {
	d := func(v time.Duration) *tunnelcfg.Duration { return &tunnelcfg.Duration{Duration: v} }
	yes, name, pool := true, "web.internal", "/etc/cloudflared/ca.pem"
	cfg := &tunnelcfg.Config{
		OriginRequest: tunnelcfg.OriginRequest{ConnectTimeout: d(5 * time.Second), CAPool: &pool},
		Rules: []tunnelcfg.Rule{
			{Hostname: "app.example.com", Service: "https://web:8443",
				OriginRequest: tunnelcfg.OriginRequest{OriginServerName: &name, TLSTimeout: d(3 * time.Second), HTTP2Origin: &yes}},
			{Hostname: "ssh.example.com", Service: "ssh://box"},
			{Hostname: "sock.example.com", Service: "unix+tls:/run/app.sock"},
			{Hostname: "status.example.com", Service: "http_status:204"},
			{Service: "http_status:404"},
		},
	}
	targets, skipped := Targets(cfg)
	if len(targets) != 3 || len(skipped) != 2 {
		t.Fatalf("targets %+v skipped %+v", targets, skipped)
	}
	web := targets[0]
	if web.Address != "web:8443" || !web.TLS || web.Kind != KindHTTP || web.ServerName() != "web.internal" ||
		web.ConnectTimeout != 5*time.Second || web.TLSTimeout != 3*time.Second || !web.HTTP2Origin || web.CAPool != pool ||
		web.HostHeader() != "app.example.com" {
		t.Errorf("web target %+v", web)
	}
	ssh := targets[1]
	if ssh.Kind != KindTCP || ssh.Address != "box:22" || ssh.TLSTimeout != 10*time.Second || ssh.Rule != 1 {
		t.Errorf("ssh target %+v", ssh)
	}
	sock := targets[2]
	if sock.Network != "unix" || sock.Address != "/run/app.sock" || !sock.TLS || sock.ServerName() != "sock.example.com" {
		t.Errorf("unix+tls target %+v", sock)
	}
	if skipped[0].Rule != 3 || skipped[1].Rule != 4 {
		t.Errorf("skipped %+v", skipped)
	}
}
