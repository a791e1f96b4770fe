package dockerit

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// diagnoseFile is diagnose with a config file written as given.
func diagnoseFile(t *testing.T, cloudflared, config string) run {
	t.Helper()
	cfg := filepath.Join(t.TempDir(), "config.yml")
	if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	var logBuf bytes.Buffer
	opts := collect.Options{
		Logger:      zerolog.New(&logBuf),
		Ingress:     collect.IngressOptions{ConfigPath: cfg},
		Docker:      collect.DockerOptions{Cloudflared: cloudflared, SelfHints: []dockernet.Hint{}},
		Cloudflared: collect.CloudflaredOptions{Disabled: "not under test"},
		Probes:      collect.ProbeOptions{Disabled: "not under test"},
		Edge:        collect.EdgeOptions{Disabled: "not under test"},
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	snap := collect.Snapshot(ctx, opts)
	return run{snap: snap, findings: agent.Run(snap, checks.All()), log: logBuf.String()}
}

// TestFixKeySpellingApplied: `noTlsVerify` (cloudflared ignores it, keys are
// case-sensitive) gets ING003 with the rename; the rename applied as
// printed to the file makes the finding go.
func TestFixKeySpellingApplied(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	net := dockertest.Network(t, "spell", dockertest.NetworkOptions{})
	cf := startCloudflared(t, im, net)
	web := origin(t, im.origin, net, []string{"--listen", ":8443", "--tls", "self-signed"})
	config := "tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ningress:\n" +
		"  - hostname: app.example.com\n    service: https://" + web.Name + ":8443\n    originRequest:\n      noTlsVerify: true\n" +
		"  - service: http_status:404\n"
	r := diagnoseFile(t, cf.Name, config)
	if tg, _ := probe.Targets(r.snap.Ingress.Config); len(tg) != 1 || tg[0].NoTLSVerify {
		t.Fatalf("cloudflared ignores noTlsVerify, so must tunneldoctor: %+v", tg)
	}
	f := r.one(t, "ING003", agent.Warn)
	m := regexp.MustCompile("Rename it: `([^`]+)`").FindStringSubmatch(f.Fix)
	if m == nil {
		t.Fatalf("ING003's fix prints no rename:\n%s", f.Fix)
	}
	if m[1] != "noTLSVerify: true" {
		t.Errorf("rename to %q, want noTLSVerify: true", m[1])
	}
	fixed := strings.Replace(config, "noTlsVerify: true", m[1], 1)
	r = diagnoseFile(t, cf.Name, fixed)
	r.none(t, "ING003")
	if tg, _ := probe.Targets(r.snap.Ingress.Config); len(tg) != 1 || !tg[0].NoTLSVerify {
		t.Errorf("after the rename, noTLSVerify is not in effect: %+v", tg)
	}
}
