package main

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// requireDocker skips without a Docker daemon, except under CI=true, where
// a missing daemon is a failure: CI must never pass by skipping. Any
// non-empty CI counts, as in dockertest.RequireDocker.
func requireDocker(t *testing.T) {
	t.Helper()
	out, err := exec.Command("docker", "version", "--format", "{{.Server.APIVersion}}").CombinedOutput()
	if err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("Docker is required under CI=%q: %v\n%s", os.Getenv("CI"), err, out)
	}
	t.Skipf("no Docker daemon (%v); set CI=true to make this a failure", err)
}

func docker(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command("docker", args...).CombinedOutput()
	return string(out), err
}

// TestOfflineImage builds the image the way CI does (nothing pulled) and
// runs it: version, ingress validate, and proof that it runs as non-root.
func TestOfflineImage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an image")
	}
	requireDocker(t)
	suffix := make([]byte, 4)
	rand.Read(suffix)
	tag := "tdtest-tunneldoctor:" + hex.EncodeToString(suffix)
	t.Cleanup(func() { docker(t, "image", "rm", "-f", tag) })

	build := exec.Command("../../deploy/build-image-offline.sh", tag)
	build.Env = append(os.Environ(), "VERSION="+testVersion)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build-image-offline.sh: %v\n%s", err, out)
	}
	if user, err := docker(t, "image", "inspect", "--format", "{{.Config.User}}", tag); err != nil || strings.TrimSpace(user) != "65532:65532" {
		t.Errorf("image user = %q (%v), want 65532:65532", user, err)
	}

	out, err := docker(t, "run", "--rm", "--network", "none", tag, "version")
	if err != nil || !strings.HasPrefix(out, "tunneldoctor "+testVersion) {
		t.Errorf("version in the image: %v\n%s", err, out)
	}

	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("../../deploy/examples/config.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yml"), example, 0o644); err != nil {
		t.Fatal(err)
	}
	// Readable by its owner only: a root process could read it, 65532 cannot.
	if err := os.WriteFile(filepath.Join(dir, "private.yml"), example, 0o600); err != nil {
		t.Fatal(err)
	}
	mount := dir + ":/cfg:ro"
	out, err = docker(t, "run", "--rm", "--network", "none", "-v", mount, tag, "ingress", "validate", "--config", "/cfg/config.yml")
	if err != nil || !strings.Contains(out, "OK") {
		t.Errorf("ingress validate in the image: %v\n%s", err, out)
	}
	if os.Getuid() == 0 {
		out, err = docker(t, "run", "--rm", "--network", "none", "-v", mount, tag, "ingress", "validate", "--config", "/cfg/private.yml")
		if err == nil || !strings.Contains(out, "permission denied") {
			t.Errorf("the image read a root-only file, so it runs as root: %v\n%s", err, out)
		}
	}
}
