package collect

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

func cfContainer(mounts ...dockernet.Mount) *dockernet.Container {
	return &dockernet.Container{ID: "abc", Name: "cf", State: "running", Mounts: mounts,
		Entrypoint: []string{"cloudflared", "--no-autoupdate"}, Cmd: []string{"tunnel", "run"}}
}

func TestIngressFileUnreadableNamesTheMount(t *testing.T) {
	s := &agent.Snapshot{}
	s.Docker.Cloudflared = cfContainer(dockernet.Mount{Type: "volume", Source: "/var/lib/docker/volumes/cfcfg/_data", Destination: "/etc/cloudflared"})
	s.Docker.Self = &dockernet.Container{ID: "self"} // in a container without that mount
	s.Cloudflared.Missing = "metrics not read"
	collectIngress(context.Background(), Options{Ingress: IngressOptions{RemoteConfig: func(context.Context) (*tunnelcfg.Config, error) {
		return nil, ErrNoAPI
	}}}, s, &clients{})
	if !strings.Contains(s.Ingress.Missing, "/etc/cloudflared/config.yml") ||
		!strings.Contains(s.Ingress.Missing, "/var/lib/docker/volumes/cfcfg/_data:/etc/cloudflared:ro") {
		t.Errorf("missing = %q, want the mount to add", s.Ingress.Missing)
	}
}

func TestIngressBindMountReadFromHost(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.yml"), []byte("ingress:\n  - service: http://web:80\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &agent.Snapshot{}
	s.Docker.Cloudflared = cfContainer(dockernet.Mount{Type: "bind", Source: dir, Destination: "/etc/cloudflared"})
	collectIngress(context.Background(), Options{Ingress: IngressOptions{RemoteConfig: func(context.Context) (*tunnelcfg.Config, error) {
		return nil, ErrNoAPI
	}}}, s, &clients{})
	if s.Ingress.File == nil || s.Ingress.Config != s.Ingress.File || s.Tunnel.ConfigSource != agent.ConfigSourceFile {
		t.Fatalf("file %+v, source %q, missing %q", s.Ingress.File, s.Tunnel.ConfigSource, s.Ingress.Missing)
	}
}

func TestIngressFallsBackToAPIThenURL(t *testing.T) {
	api := &tunnelcfg.Config{Origin: tunnelcfg.FromAPI, Version: 7, Rules: []tunnelcfg.Rule{{Service: "http://web:80"}}}
	s := &agent.Snapshot{}
	s.Docker.Cloudflared = cfContainer()
	collectIngress(context.Background(), Options{Ingress: IngressOptions{RemoteConfig: func(context.Context) (*tunnelcfg.Config, error) {
		return api, nil
	}}}, s, &clients{})
	if s.Ingress.Config != api || s.Tunnel.ConfigSource != agent.ConfigSourceAPI || s.Tunnel.ConfigVersion != 7 {
		t.Errorf("config %+v source %q", s.Ingress.Config, s.Tunnel.ConfigSource)
	}

	s = &agent.Snapshot{}
	s.Docker.Cloudflared = cfContainer()
	s.Cloudflared.Command = []string{"cloudflared", "tunnel", "run", "--url", "http://web:8080"}
	collectIngress(context.Background(), Options{Ingress: IngressOptions{RemoteConfig: func(context.Context) (*tunnelcfg.Config, error) {
		return nil, errors.New("API said 403")
	}}}, s, &clients{})
	if s.Ingress.Config == nil || s.Ingress.Config.Rules[0].Service != "http://web:8080" || s.Tunnel.ConfigSource != agent.ConfigSourceCLI {
		t.Errorf("config %+v source %q", s.Ingress.Config, s.Tunnel.ConfigSource)
	}
	if !strings.Contains(strings.Join(s.Ingress.Notes, "\n"), "API said 403") {
		t.Errorf("notes %v should say why the API was not used", s.Ingress.Notes)
	}
}
