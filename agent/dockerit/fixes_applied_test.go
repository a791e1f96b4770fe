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

// Fixes applied as printed: each test takes the finding's Fix text, applies
// it literally (runs its command, merges its compose snippet into the file
// and runs docker-compose down && up, copies its service line into the
// rule) and proves the finding is gone.

// composeProject is a compose project brought up with docker-compose (v1,
// as this machine has it), taken down with its volumes when the test ends.
type composeProject struct {
	t       *testing.T
	bin     string
	name    string
	file    string
	content string
}

func newComposeProject(t *testing.T, name, content string) *composeProject {
	t.Helper()
	p := &composeProject{t: t, bin: dockertest.RequireProgram(t, "docker-compose", "docker-compose"), name: name,
		file: filepath.Join(t.TempDir(), "compose.yml")}
	p.write(content)
	t.Cleanup(func() {
		if err := p.run("down", "-v", "--remove-orphans", "-t", "0"); err != nil {
			t.Error(err)
		}
	})
	return p
}

func (p *composeProject) write(content string) {
	p.t.Helper()
	p.content = content
	if err := os.WriteFile(p.file, []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *composeProject) run(args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, p.bin, append([]string{"--no-ansi", "-p", p.name, "-f", p.file}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("docker-compose %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func (p *composeProject) must(args ...string) {
	p.t.Helper()
	if err := p.run(args...); err != nil {
		p.t.Fatal(err)
	}
}

// TestFixesAppliedSurviveComposeDownUp: cloudflared and an app in one
// compose project, the app only on the project's "back" network. NET001's
// fix is applied as printed twice: its `docker network connect` line (the
// finding resolves at once), then its compose snippet merged into the file
// and `docker-compose down && docker-compose up -d` (the finding stays
// resolved on a fresh deploy, which an `external: true` for the project's
// own network would break). Then a rule that names the app by its Compose
// v2 container name (proj-web-1, while v1 named it proj_web_1) gets NET003,
// whose fix names the compose service; applied to the rule, it resolves.
func TestFixesAppliedSurviveComposeDownUp(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	project := dockertest.Name("fixproj")
	sfx := strings.TrimPrefix(dockertest.Name(""), dockertest.Prefix)
	svc := "web" + strings.ReplaceAll(sfx, "-", "")
	p := newComposeProject(t, project, fmt.Sprintf(`version: "2.4"
services:
  cloudflared:
    image: %s
    command: ["tunnel", "run"]
    environment:
      TUNNEL_TOKEN: %s
  %s:
    image: %s
    command: ["--listen", ":8080"]
    networks: [back]
networks:
  back: {}
`, im.cloudflared, testToken, svc, im.origin))
	p.must("up", "-d")
	cf := project + "_cloudflared_1"
	good := "http://" + svc + ":8080"

	r := diagnose(t, setup{cloudflared: cf, services: []string{good}})
	f := r.one(t, "NET001", agent.Error)
	contains(t, "NET001 fix", f.Fix, "docker network connect "+project+"_back "+cf, "docker compose up -d", "docker-compose up -d")
	if strings.Contains(f.Fix, "external") {
		t.Errorf("NET001 declares the project's own network external, which breaks the next fresh deploy:\n%s", f.Fix)
	}

	// 1. The command, as printed.
	cmd := fixCommand(t, f.Fix, "docker network connect ")
	dockertest.Docker(t, cmd[1:]...)
	r = diagnose(t, setup{cloudflared: cf, services: []string{good}})
	r.none(t, "NET001")
	r.none(t, "NET003")

	// 2. The compose snippet, merged as printed, through down && up.
	p.write(mergeCompose(t, p.content, fixComposeSnippet(t, f.Fix)))
	p.must("down", "-t", "0")
	p.must("up", "-d")
	v2Name := project + "-" + svc + "-1" // Compose v2's spelling of proj_web_1
	r = diagnose(t, setup{cloudflared: cf, services: []string{good, "http://" + v2Name + ":8080"}})
	r.none(t, "NET001")
	for _, f := range r.find("NET003") {
		if f.Rule == 0 {
			t.Errorf("rule 0 broke after down && up with the merged snippet:\n%s\n%s", r.dump(), p.content)
		}
	}
	if t.Failed() {
		return
	}

	// 3. The corrected service URL, as printed: the compose service name.
	f = r.one(t, "NET003", agent.Error)
	got := fixService(t, f.Fix)
	if got != good {
		t.Errorf("NET003 fix names %q, want the compose service %q:\n%s", got, good, f.Fix)
	}
	r = diagnose(t, setup{cloudflared: cf, services: []string{good, got}})
	for _, f := range r.findings {
		if f.Severity >= agent.Warn {
			t.Errorf("after the fixes:\n%s", r.dump())
			break
		}
	}
}

// TestFixExternalNetworkOfAnotherProject: the app belongs to another compose
// project; NET001's snippet declares that network external under its real
// name, and survives down && up of cloudflared's project.
func TestFixExternalNetworkOfAnotherProject(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	appProject, cfProject := dockertest.Name("appproj"), dockertest.Name("cfproj")
	sfx := strings.ReplaceAll(strings.TrimPrefix(dockertest.Name(""), dockertest.Prefix), "-", "")
	svc := "app" + sfx
	app := newComposeProject(t, appProject, fmt.Sprintf(`version: "2.4"
services:
  %s:
    image: %s
    command: ["--listen", ":8080"]
`, svc, im.origin))
	app.must("up", "-d")
	tun := newComposeProject(t, cfProject, fmt.Sprintf(`version: "2.4"
services:
  cloudflared:
    image: %s
    command: ["tunnel", "run"]
    environment:
      TUNNEL_TOKEN: %s
`, im.cloudflared, testToken))
	tun.must("up", "-d")
	// Cleanups run last-in first-out: cloudflared's project goes down
	// before the app's network is removed.
	cf := cfProject + "_cloudflared_1"
	good := "http://" + svc + ":8080"
	r := diagnose(t, setup{cloudflared: cf, services: []string{good}})
	f := r.one(t, "NET001", agent.Error)
	contains(t, "NET001 fix", f.Fix, appProject+"_default:\n    external: true", "  default: {}")
	tun.write(mergeCompose(t, tun.content, fixComposeSnippet(t, f.Fix)))
	tun.must("down", "-t", "0")
	tun.must("up", "-d")
	r = diagnose(t, setup{cloudflared: cf, services: []string{good}})
	r.none(t, "NET001")
	r.none(t, "NET003")
}

// TestORG001OOMKilledFixRaisesTheLimit: an origin killed by its memory
// limit gets a fix that raises the limit (not `docker start`, which would
// repeat the kill); the mem_limit it prints, applied through compose,
// keeps it up.
func TestORG001OOMKilledFixRaisesTheLimit(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	project := dockertest.Name("oomproj")
	sfx := strings.ReplaceAll(strings.TrimPrefix(dockertest.Name(""), dockertest.Prefix), "-", "")
	svc := "hog" + sfx
	p := newComposeProject(t, project, fmt.Sprintf(`version: "2.4"
services:
  cloudflared:
    image: %s
    command: ["tunnel", "run"]
    environment:
      TUNNEL_TOKEN: %s
  %s:
    image: %s
    command: ["--listen", ":8080", "--alloc-mb", "48"]
    mem_limit: 32m
`, im.cloudflared, testToken, svc, im.origin))
	p.must("up", "-d")
	id := dockertest.Docker(t, "ps", "-aq", "--filter", "label=com.docker.compose.project="+project, "--filter", "label=com.docker.compose.service="+svc)
	dockertest.WaitState(t, id, "exited", 30*time.Second)
	cf := project + "_cloudflared_1"
	r := diagnose(t, setup{cloudflared: cf, services: []string{"http://" + svc + ":8080"}})
	var f agent.Finding
	for _, x := range r.find("ORG001") {
		f = x
	}
	if f.Code == "" {
		t.Fatalf("no ORG001:\n%s", r.dump())
	}
	if strings.Contains(f.Fix, "docker start") {
		t.Errorf("ORG001 for an OOM-killed origin says docker start:\n%s", f.Fix)
	}
	contains(t, "ORG001 fix", f.Fix, "mem_limit: 64m", "restart: unless-stopped", "docker-compose up -d "+svc, "docker compose up -d "+svc)
	// Apply the first snippet (file format 2.x) as printed.
	snip := f.Fix[strings.Index(f.Fix, "services:"):]
	snip = snip[:strings.Index(snip, "\nor, with")]
	p.write(mergeCompose(t, p.content, fixComposeSnippet(t, strings.ReplaceAll(snip, "          # Compose v1 file format 2.x", ""))))
	p.must("up", "-d", svc)
	dockertest.WaitState(t, id2(t, project, svc), "running", 30*time.Second)
	r = diagnose(t, setup{cloudflared: cf, services: []string{"http://" + svc + ":8080"}})
	r.none(t, "ORG001")
	r.none(t, "ORG003")
}

func id2(t *testing.T, project, svc string) string {
	return dockertest.Docker(t, "ps", "-aq", "--filter", "label=com.docker.compose.project="+project, "--filter", "label=com.docker.compose.service="+svc)
}
