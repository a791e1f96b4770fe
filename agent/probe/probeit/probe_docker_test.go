package probeit

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/dockernet/dockertest"
)

// testToken is a well-formed tunnel token (account "acc0unt", tunnel
// 6ff42ae2-..., a fake secret) so the stand-in starts as "connected".
const testToken = "eyJhIjoiYWNjMHVudCIsInQiOiI2ZmY0MmFlMi03NjVkLTRhZGYtODExMi0zMWM1NWMxNTUxZWYiLCJzIjoiYm05MExXRXRjbVZoYkMxelpXTnlaWFF0ZG1Gc2RXVT0ifQ=="

// finding is the part of the stable JSON report this test reads.
type finding struct {
	Code     string            `json:"code"`
	Severity string            `json:"severity"`
	Hostname string            `json:"hostname"`
	Rule     int               `json:"rule"`
	Message  string            `json:"message"`
	Fix      string            `json:"fix"`
	Evidence map[string]string `json:"evidence"`
}

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
	originImg := dockertest.OriginImage(t, "")
	cfImg := dockertest.StandinImage(t)
	tdImg := dockertest.Image(t, dockertest.ImageSpec{
		Package: "github.com/tunneldoctor/tunneldoctor/cmd/tunneldoctor", Repo: dockertest.Prefix + "tunneldoctor",
	})
	network := dockertest.Network(t, "probe", dockertest.NetworkOptions{Internal: true})

	origin := func(alias string, publish []string, args ...string) {
		dockertest.Run(t, dockertest.Spec{Name: alias, Image: originImg, Network: network, Aliases: []string{alias},
			Hostname: alias, Publish: publish, Args: args})
	}
	origin("plain", nil, "--listen", ":8080")
	origin("tlsweb", nil, "--listen", ":8443", "--tls", "self-signed")
	origin("broken", nil, "--listen", ":8080", "--status", "502", "--header", "Server: nginx/1.25.3", "--body", "<h1>502 Bad Gateway</h1>")
	origin("forcehttps", nil, "--listen", ":8080", "--redirect-https")
	origin("wrongport", []string{"127.0.0.1::8080"}, "--listen", ":8080") // exposes 8080/tcp
	origin("slow", nil, "--listen", ":8080", "--delay", "5m")
	origin("healthy", nil, "--listen", ":8080")

	rules := []struct{ host, service, want string }{
		{"plain.example.com", "https://plain:8080", "PRB001"},
		{"tls.example.com", "https://tlsweb:8443", "PRB002"},
		{"tlsplain.example.com", "http://tlsweb:8443", "PRB001"},
		{"broken.example.com", "http://broken:8080", "PRB005"},
		{"loop.example.com", "http://forcehttps:8080", "PRB011"},
		{"port.example.com", "http://wrongport:9090", "PRB012"},
		{"slow.example.com", "http://slow:8080", "PRB008"},
		{"ok.example.com", "http://healthy:8080", ""},
	}
	// The rules reach the stand-in as a dashboard-managed configuration:
	// tunneldoctor reads them from its /config, with nothing mounted.
	type rule struct {
		Hostname string `json:"hostname,omitempty"`
		Service  string `json:"service"`
	}
	var ingress []rule
	for _, r := range rules {
		ingress = append(ingress, rule{r.host, r.service})
	}
	ingress = append(ingress, rule{Service: "http_status:404"})
	remote, err := json.Marshal(map[string]any{"ingress": ingress})
	if err != nil {
		t.Fatal(err)
	}
	cf := dockertest.Run(t, dockertest.Spec{Name: "cf", Image: cfImg, Network: network,
		Args: []string{"tunnel", "--metrics", "0.0.0.0:20241", "run"},
		// HTTP_PROXY is never dialled (the stand-in dials nothing): it
		// is there for PRB014 to notice.
		Env: []string{"TUNNEL_TOKEN=" + testToken, "STANDIN_CONFIG_JSON=" + string(remote), "HTTP_PROXY=http://proxy.invalid:3128"}})
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	name := dockertest.Name("td")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", "run", "--rm", "--name", name, "--label", "tdtest=1",
		"--network", "container:"+cf.ID,
		"-v", "/var/run/docker.sock:/var/run/docker.sock:ro",
		tdImg, "check", "--cloudflared", cf.Name, "--output", "json",
		"--probe-timeout", "3s", "--no-public-probe", "--no-status-page")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var report struct {
		Findings []finding `json:"findings"`
		ExitCode int       `json:"exit_code"`
	}
	if jerr := json.Unmarshal(out, &report); jerr != nil {
		t.Fatalf("tunneldoctor check: %v, output not JSON (%v):\n%s\nstderr:\n%s", err, jerr, out, stderr.String())
	}
	if report.ExitCode != 2 {
		t.Errorf("exit_code %d, want 2 (errors found)", report.ExitCode)
	}
	byRule := map[int][]finding{}
	for _, f := range report.Findings {
		if strings.HasPrefix(f.Code, "PRB") && f.Severity != "skipped" {
			byRule[f.Rule] = append(byRule[f.Rule], f)
		}
	}
	for i, r := range rules {
		got := byRule[i]
		if r.want == "" {
			if len(got) > 0 {
				t.Errorf("rule %d (%s) is healthy, got %+v", i, r.service, got)
			}
			continue
		}
		var match *finding
		for j := range got {
			if got[j].Code == r.want {
				match = &got[j]
			}
		}
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
	for _, f := range report.Findings {
		if f.Code == "PRB014" {
			proxy = append(proxy, f)
		}
	}
	if len(proxy) != 1 || proxy[0].Severity != "warn" || !strings.Contains(proxy[0].Fix, "NO_PROXY=broken,forcehttps,healthy,slow,tlsweb,wrongport") ||
		strings.Contains(proxy[0].Message+proxy[0].Fix, "proxy.invalid") {
		t.Errorf("PRB014: %+v", proxy)
	}
	// The specifics users act on.
	expect := map[string][]string{
		"PRB001|0": {"service: http://plain:8080"},
		"PRB001|2": {"service: https://tlsweb:8443"},
		"PRB002|1": {"caPool:", "noTLSVerify: true"},
		"PRB005|3": {"nginx/1.25.3"},
		"PRB011|4": {"X-Forwarded-Proto"},
		"PRB012|5": {"service: http://wrongport:8080"},
	}
	for key, wants := range expect {
		code, rule, _ := strings.Cut(key, "|")
		for _, f := range byRule[atoi(rule)] {
			if f.Code != code {
				continue
			}
			for _, w := range wants {
				if !strings.Contains(f.Message+"\n"+f.Fix, w) {
					t.Errorf("%s on rule %s lacks %q:\n%s\n%s", code, rule, w, f.Message, f.Fix)
				}
			}
		}
	}
	if t.Failed() || testing.Verbose() {
		for _, f := range report.Findings {
			t.Logf("%s %s rule=%d: %s\n  fix: %s", f.Severity, f.Code, f.Rule, f.Message, f.Fix)
		}
		t.Logf("stderr:\n%s", stderr.String())
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
