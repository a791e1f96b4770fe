package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// dockerRuns returns the `docker run` commands of a text, continuation
// lines joined.
func dockerRuns(text string) []string {
	joined := strings.ReplaceAll(strings.ReplaceAll(text, "\\\n#", " "), "\\\n", " ")
	var out []string
	for _, l := range strings.Split(joined, "\n") {
		if i := strings.Index(l, "docker run "); i >= 0 {
			out = append(out, l[i:])
		}
	}
	return out
}

// TestRecipesCanReadTheSocket: the image runs as uid 65532, so every
// `docker run` that mounts the Docker socket (README, check --help, the
// Dockerfile) adds the socket's group, or the user gets "permission denied".
func TestRecipesCanReadTheSocket(t *testing.T) {
	var help bytes.Buffer
	dispatch(context.Background(), stdio{out: &help, err: &help}, "tunneldoctor", commands(), []string{"check", "--help"})
	sources := map[string]string{"check --help": help.String()}
	for _, f := range []string{"../../README.md", "../../Dockerfile"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources[f] = string(b)
	}
	for name, text := range sources {
		runs := dockerRuns(text)
		if name != "../../README.md" && len(runs) == 0 {
			t.Errorf("%s has no docker run example", name)
		}
		for _, r := range runs {
			if strings.Contains(r, "docker.sock") && !strings.Contains(r, `--group-add "$(stat -c %g /var/run/docker.sock)"`) {
				t.Errorf("%s: %q mounts the socket without --group-add", name, r)
			}
		}
	}
}

// TestREADMERecipesRunTheImageItBuilds: the image the README builds is the
// one its recipes run, and Compose is given in both spellings.
func TestREADMERecipesRunTheImageItBuilds(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	build := regexp.MustCompile(`(?m)^(?:docker build -t|deploy/build-image-offline\.sh) (\S+)`).FindAllStringSubmatch(readme, -1)
	if len(build) == 0 {
		t.Fatal("README builds no image")
	}
	for _, m := range build {
		if m[1] != "tunneldoctor" && m[1] != "." {
			t.Errorf("README builds %q but its recipes run `tunneldoctor`", m[1])
		}
	}
	for _, r := range dockerRuns(readme) {
		if !regexp.MustCompile(` tunneldoctor (check|watch|healthcheck)`).MatchString(r) && !strings.Contains(r, "...") {
			t.Errorf("recipe %q does not run the tunneldoctor image", r)
		}
	}
	if strings.Contains(readme, "docker compose ") && !strings.Contains(readme, "docker-compose ") {
		t.Error("README gives only `docker compose` (v2); Debian ships v1 as `docker-compose`")
	}
}
