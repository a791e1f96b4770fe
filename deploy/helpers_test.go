package deploy

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// TestMain removes the images the tests built, after every test ran.
func TestMain(m *testing.M) {
	code := dockertest.Main(m)
	imagesToRemove.Lock()
	for _, tag := range imagesToRemove.tags {
		_, _ = runErr(time.Minute, nil, "docker", "rmi", tag)
	}
	imagesToRemove.Unlock()
	os.Exit(code)
}

// repoRoot is the repository's top directory.
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test file")
	}
	return filepath.Dir(filepath.Dir(file))
}

// builtImage is the tunneldoctor image, built once per test process with
// the offline path users without a registry use.
var builtImage struct {
	sync.Mutex
	tag string
}

// tunneldoctorImage builds the image with deploy/build-image-offline.sh
// (FROM scratch, nothing pulled) and removes it when the tests end.
func tunneldoctorImage(t testing.TB) string {
	t.Helper()
	builtImage.Lock()
	defer builtImage.Unlock()
	if builtImage.tag != "" {
		return builtImage.tag
	}
	tag := dockertest.Name("tunneldoctor") + ":test"
	run(t, 5*time.Minute, nil, filepath.Join(repoRoot(t), "deploy", "build-image-offline.sh"), tag)
	builtImage.tag = tag
	cleanupImage(tag)
	return tag
}

// imagesToRemove are the images built here outside dockertest.Image (which
// cleans up its own); TestMain removes them.
var imagesToRemove struct {
	sync.Mutex
	tags []string
}

func cleanupImage(tag string) {
	imagesToRemove.Lock()
	defer imagesToRemove.Unlock()
	imagesToRemove.tags = append(imagesToRemove.tags, tag)
}

// run runs a command and returns its stdout; a failure ends the test with
// the command's output.
func run(t testing.TB, timeout time.Duration, env []string, name string, args ...string) string {
	t.Helper()
	out, err := runErr(timeout, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return out
}

func runErr(timeout time.Duration, env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(append(os.Environ(), "DOCKER_BUILDKIT=0"), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), &cmdError{err: err, stderr: strings.TrimSpace(stderr.String() + "\n" + stdout.String())}
	}
	return strings.TrimSpace(stdout.String()), nil
}

type cmdError struct {
	err    error
	stderr string
}

func (e *cmdError) Error() string { return e.err.Error() + ": " + e.stderr }

func freePort(t testing.TB, network string) string {
	t.Helper()
	switch network {
	case "udp":
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, port, _ := net.SplitHostPort(c.LocalAddr().String())
		return port
	default:
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		return port
	}
}

// waitFor polls cond until it is true or the timeout passes.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(250 * time.Millisecond)
	}
	return cond()
}
