package probeit

import (
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// TestCheckProbesOriginsFromCloudflaredNamespace sets up origins that fail
// in the ways cloudflared reports as 502s (and a few that pass through),
// runs `tunneldoctor check` in a container sharing the stand-in
// cloudflared's network namespace, and asserts each rule's protocol finding.
// The network is internal: nothing can leave the machine.
func TestCheckProbesOriginsFromCloudflaredNamespace(t *testing.T) {
	if testing.Short() {
		t.Skip("builds images and runs containers")
	}
	dockertest.RequireDocker(t)
	img := buildImages(t)
	network := dockertest.Network(t, "probe", dockertest.NetworkOptions{Internal: true})

	// Names unique per run: other tests on this daemon run containers with
	// similar names, and tunneldoctor's reasoning sees every container.
	sfx := strings.TrimPrefix(dockertest.Name(""), dockertest.Prefix) // "-<random>"
	origin := func(alias string, publish []string, args ...string) {
		dockertest.Run(t, dockertest.Spec{Name: alias, Image: img.origin, Network: network, Aliases: []string{alias + sfx},
			Hostname: alias + sfx, Publish: publish, Args: args})
	}
	origin("plain", nil, "--listen", ":8080")
	origin("tlsweb", nil, "--listen", ":8443", "--tls", "self-signed")
	origin("broken", nil, "--listen", ":8080", "--status", "502", "--header", "Server: nginx/1.25.3", "--body", "<h1>502 Bad Gateway</h1>")
	origin("forcehttps", nil, "--listen", ":8080", "--redirect-https")
	origin("wrongport", []string{"127.0.0.1::8080"}, "--listen", ":8080") // exposes 8080/tcp
	origin("slow", nil, "--listen", ":8080", "--delay", "5m")
	origin("healthy", nil, "--listen", ":8080")

	rules := []struct{ host, service, want string }{
		{"plain.example.com", "https://plain" + sfx + ":8080", "PRB001"},
		{"tls.example.com", "https://tlsweb" + sfx + ":8443", "PRB002"},
		{"tlsplain.example.com", "http://tlsweb" + sfx + ":8443", "PRB001"},
		{"broken.example.com", "http://broken" + sfx + ":8080", "PRB005"},
		{"loop.example.com", "http://forcehttps" + sfx + ":8080", "PRB011"},
		{"port.example.com", "http://wrongport" + sfx + ":9090", "PRB012"},
		{"slow.example.com", "http://slow" + sfx + ":8080", "PRB008"},
		{"ok.example.com", "http://healthy" + sfx + ":8080", ""},
	}
	var ingress []ingressRule
	for _, r := range rules {
		ingress = append(ingress, ingressRule{Hostname: r.host, Service: r.service})
	}
	// HTTP_PROXY is never dialled (the stand-in dials nothing): it is there
	// for PRB014 to notice.
	cf := startCloudflared(t, img, network, ingress, []string{"HTTP_PROXY=http://proxy.invalid:3128"}, nil)
	run := runCheck(t, img, cf, "3s")
	defer logReport(t, run)
	if run.report.ExitCode != 2 {
		t.Errorf("exit_code %d, want 2 (errors found)", run.report.ExitCode)
	}
	byRule := run.report.probeFindings()
	for i, r := range rules {
		got := byRule[i]
		if r.want == "" {
			if len(got) > 0 {
				t.Errorf("rule %d (%s) is healthy, got %+v", i, r.service, got)
			}
			continue
		}
		match := findingOf(byRule, i, r.want)
		if match == nil {
			t.Errorf("rule %d (%s): want %s, got %+v", i, r.service, r.want, got)
			continue
		}
		if match.Hostname != r.host {
			t.Errorf("rule %d: hostname %q", i, match.Hostname)
		}
		if !strings.Contains(match.Evidence["probed_from"], "cloudflared's network namespace") {
			t.Errorf("rule %d: probed from %q, want cloudflared's namespace", i, match.Evidence["probed_from"])
		}
	}
	var proxy []finding
	for _, f := range run.report.Findings {
		if f.Code == "PRB014" {
			proxy = append(proxy, f)
		}
	}
	if len(proxy) != 1 || proxy[0].Severity != "warn" || !strings.Contains(proxy[0].Fix, "NO_PROXY=broken"+sfx+",forcehttps"+sfx+",healthy"+sfx+",slow"+sfx+",tlsweb"+sfx+",wrongport"+sfx) ||
		strings.Contains(proxy[0].Message+proxy[0].Fix, "proxy.invalid") {
		t.Errorf("PRB014: %+v", proxy)
	}
	// The specifics users act on.
	expect := []struct {
		code  string
		rule  int
		wants []string
	}{
		{"PRB001", 0, []string{"service: http://plain" + sfx + ":8080"}},
		{"PRB001", 2, []string{"service: https://tlsweb" + sfx + ":8443"}},
		{"PRB002", 1, []string{"caPool:", "noTLSVerify: true"}},
		{"PRB005", 3, []string{"nginx/1.25.3"}},
		{"PRB011", 4, []string{"X-Forwarded-Proto"}},
		{"PRB012", 5, []string{"service: http://wrongport" + sfx + ":8080"}},
	}
	for _, e := range expect {
		f := findingOf(byRule, e.rule, e.code)
		if f == nil {
			continue // reported above
		}
		for _, w := range e.wants {
			if !strings.Contains(f.Message+"\n"+f.Fix, w) {
				t.Errorf("%s on rule %d lacks %q:\n%s\n%s", e.code, e.rule, w, f.Message, f.Fix)
			}
		}
	}
}
