package dockerit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// TestComposeServiceNameVersusContainerName brings a real compose project
// up (docker-compose, as users run it): cloudflared and an app whose
// container_name differs from its service name. A rule using the service
// name resolves (compose makes it a network alias); a rule using a
// near-miss gets a did-you-mean naming both.
func TestComposeServiceNameVersusContainerName(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	bin := dockertest.RequireProgram(t, "docker-compose", "docker-compose")
	project := dockertest.Name("proj") // containers: <project>_<service>_1, network <project>_default
	appName := dockertest.Name("shop-frontend")
	// The service name is unique per run too: other tests on this daemon
	// run compose services, and tunneldoctor sees every container.
	svc := "storefront" + strings.TrimPrefix(dockertest.Name(""), dockertest.Prefix)
	compose := fmt.Sprintf(`version: "2.4"
services:
  cloudflared:
    image: %s
    command: ["tunnel", "run"]
    environment:
      TUNNEL_TOKEN: %s
  %s:
    image: %s
    container_name: %s
    command: ["--listen", ":3000"]
`, im.cloudflared, testToken, svc, im.origin, appName)
	dir := t.TempDir()
	file := filepath.Join(dir, "compose.yml")
	if err := os.WriteFile(file, []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"--no-ansi", "-p", project, "-f", file}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("docker-compose %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	t.Cleanup(func() {
		if err := run("down", "-v", "--remove-orphans", "-t", "0"); err != nil {
			t.Error(err)
		}
	})
	if err := run("up", "-d"); err != nil {
		t.Fatal(err)
	}
	cf := project + "_cloudflared_1"

	r := diagnose(t, setup{cloudflared: cf, services: []string{
		"http://" + svc + ":3000", // the service name: an alias compose adds
		"http://" + appName + ":3000",
		"http://store-front" + strings.TrimPrefix(svc, "storefront") + ":3000", // a near miss
	}})
	if got := r.snap.Docker.Cloudflared; got == nil || got.Project != project || got.Service != "cloudflared" {
		t.Fatalf("compose labels not read: %+v", got)
	}
	for _, f := range r.findings {
		if f.Severity >= agent.Warn && f.Rule != 2 {
			t.Errorf("rule %d should be fine:\n%s", f.Rule, r.dump())
		}
	}
	f := r.one(t, "NET003", agent.Error)
	contains(t, "NET003", f.Message, "store-front", svc+" (compose service of "+appName+")")
	contains(t, "NET003 fix", f.Fix, "service: http://"+svc+":3000")
}
