// Package dockertest sets up real Docker situations for tests: images built
// FROM scratch from Go programs compiled in the test, networks and
// containers named tdtest-<random>, all removed in t.Cleanup even when the
// test fails. It drives the docker CLI: building and creating are test-side
// writes; the agent under test stays read-only.
package dockertest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Prefix starts the name of everything the tests create, so parallel runs
// never collide and leftovers are easy to find.
const Prefix = "tdtest-"

// InCI reports whether the tests run under CI: CI set to any non-empty
// value (CI=true, CI=1, CI=woodpecker...), as CI systems set it. Under CI a
// missing Docker daemon or tool is a failure, never a skip.
func InCI() bool { return os.Getenv("CI") != "" }

// RequireProgram returns the path of the first of names found on PATH. When
// none is installed the test fails under CI (the Debian package pkg must be
// there: .ci/run installs it) and is skipped elsewhere.
func RequireProgram(t testing.TB, pkg string, names ...string) string {
	t.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if InCI() {
		t.Fatalf("%s is not installed (Debian package %s); CI is set, so this test must run", names[0], pkg)
	}
	t.Skipf("%s is not installed (Debian package %s)", names[0], pkg)
	return ""
}

// RequireDocker stops the test when no Docker daemon answers: it fails
// under CI (any non-empty CI; CI must not silently skip) and skips otherwise.
func RequireDocker(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "docker", "version", "--format", "{{.Server.APIVersion}}").CombinedOutput()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("docker is not available: %v: %s", err, bytes.TrimSpace(out))
	if InCI() {
		t.Fatalf("%s (CI=%q: Docker tests must run)", msg, os.Getenv("CI"))
	}
	t.Skip(msg)
}

// Name returns a unique name: tdtest-<base>-<random>.
func Name(base string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return Prefix + base + "-" + hex.EncodeToString(b[:])
}

// Docker runs the docker CLI and returns its trimmed stdout; a failure
// ends the test with the command's stderr.
func Docker(t testing.TB, args ...string) string {
	t.Helper()
	out, err := docker(args...)
	if err != nil {
		t.Fatalf("docker %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func docker(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0") // no buildx here; FROM scratch needs no BuildKit
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// NetworkOptions shape a test network.
type NetworkOptions struct {
	Internal    bool
	ICCDisabled bool
	Labels      map[string]string
}

// Network creates a bridge network and removes it when the test ends
// (after its containers, as cleanups run last-in first-out).
func Network(t testing.TB, base string, o NetworkOptions) string {
	t.Helper()
	name := Name(base)
	args := []string{"network", "create", "--driver", "bridge"}
	if o.Internal {
		args = append(args, "--internal")
	}
	if o.ICCDisabled {
		args = append(args, "-o", "com.docker.network.bridge.enable_icc=false")
	}
	for k, v := range o.Labels {
		args = append(args, "--label", k+"="+v)
	}
	Docker(t, append(args, name)...)
	t.Cleanup(func() {
		if _, err := docker("network", "rm", name); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return name
}
