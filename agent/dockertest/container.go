package dockertest

import (
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Spec describes a test container. Only Image is required.
type Spec struct {
	Name  string // base of the name; the container is tdtest-<Name>-<random>
	Image string
	// Network is the first network (or "host", "none", "container:<name>");
	// More are connected after creation, with the same Aliases.
	Network string
	More    []string
	Aliases []string
	Env     []string
	Labels  map[string]string
	// Args follow the image's entrypoint.
	Args []string
	// Entrypoint replaces the image's entrypoint when set.
	Entrypoint string
	ExtraHosts []string
	Publish    []string // -p values
	Expose     []string // --expose values (documentation ports, as EXPOSE)
	Volumes    []string // -v values
	TTY        bool     // -t: logs come back raw, not multiplexed
	Restart    string   // --restart value
	Memory     string   // --memory value, e.g. "16m"
	Hostname   string
	// HealthInterval overrides the image's healthcheck interval.
	HealthInterval time.Duration
}

// Container is a running test container.
type Container struct {
	ID, Name string
}

// Run creates and starts a container and removes it (with its anonymous
// volumes) when the test ends.
func Run(t testing.TB, s Spec) Container {
	t.Helper()
	name := Name(s.Name)
	// --pull never: test images exist only here; never ask a registry.
	args := []string{"run", "-d", "--pull", "never", "--name", name, "--label", "tdtest=1"}
	if s.Network != "" {
		args = append(args, "--network", s.Network)
	}
	if !strings.HasPrefix(s.Network, "container:") && s.Network != "host" {
		for _, a := range s.Aliases {
			args = append(args, "--network-alias", a)
		}
	}
	for _, e := range s.Env {
		args = append(args, "-e", e)
	}
	for k, v := range s.Labels {
		args = append(args, "--label", k+"="+v)
	}
	for _, h := range s.ExtraHosts {
		args = append(args, "--add-host", h)
	}
	if s.TTY {
		args = append(args, "-t")
	}
	for _, v := range s.Volumes {
		args = append(args, "-v", v)
	}
	for _, p := range s.Publish {
		args = append(args, "-p", p)
	}
	for _, p := range s.Expose {
		args = append(args, "--expose", p)
	}
	if s.Restart != "" {
		args = append(args, "--restart", s.Restart)
	}
	if s.Memory != "" {
		args = append(args, "--memory", s.Memory, "--memory-swap", s.Memory)
	}
	if s.Hostname != "" {
		args = append(args, "--hostname", s.Hostname)
	}
	if s.HealthInterval > 0 {
		args = append(args, "--health-interval", s.HealthInterval.String())
	}
	if s.Entrypoint != "" {
		args = append(args, "--entrypoint", s.Entrypoint)
	}
	args = append(args, s.Image)
	args = append(args, s.Args...)
	id, err := docker(args...)
	if err != nil {
		t.Fatalf("docker %s: %v", strings.Join(args, " "), err)
	}
	t.Cleanup(func() {
		// A test may have removed it already (applying a fix that says
		// `docker rm -f`): that is not a failed cleanup.
		if _, err := docker("rm", "-f", "-v", id); err != nil && !strings.Contains(err.Error(), "No such container") {
			t.Errorf("cleanup: %v", err)
		}
	})
	for _, n := range s.More {
		connect := []string{"network", "connect"}
		for _, a := range s.Aliases {
			connect = append(connect, "--alias", a)
		}
		Docker(t, append(connect, n, id)...)
	}
	return Container{ID: id, Name: name}
}

// WaitState waits until the container's State.Status is want (running,
// exited, restarting...) or its health status is want (healthy,
// unhealthy, starting), and fails the test after timeout.
func WaitState(t testing.TB, id, want string, timeout time.Duration) {
	t.Helper()
	Eventually(t, timeout, "container "+id[:12]+" to be "+want, func() (bool, string) {
		out, err := docker("inspect", "--format", "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}", id)
		if err != nil {
			return false, err.Error()
		}
		return slices.Contains(strings.Fields(out), want), out
	})
}

// WaitRestarts waits until the container has restarted at least n times.
// The count goes up as Docker starts the container again, so on return it
// is usually running (with State.ExitCode reset to 0), not between restarts.
func WaitRestarts(t testing.TB, id string, n int, timeout time.Duration) {
	t.Helper()
	Eventually(t, timeout, fmt.Sprintf("container %s to restart %d times", id[:12], n), func() (bool, string) {
		out, err := docker("inspect", "--format", "{{.RestartCount}}", id)
		if err != nil {
			return false, err.Error()
		}
		c, _ := strconv.Atoi(out)
		return c >= n, out + " restarts"
	})
}

// WaitLog waits until the container's log (the last 200 lines, stdout and
// stderr: cloudflared logs to stderr) holds want.
func WaitLog(t testing.TB, id, want string, timeout time.Duration) {
	t.Helper()
	Eventually(t, timeout, fmt.Sprintf("container %s to log %q", id[:12], want), func() (bool, string) {
		out, err := exec.Command("docker", "logs", "--tail", "200", id).CombinedOutput()
		return err == nil && strings.Contains(string(out), want), "\n" + string(out)
	})
}
