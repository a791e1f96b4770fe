package dockertest

import (
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
	Expose     []string // --expose values (exposed, not published)
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
		if _, err := docker("rm", "-f", "-v", id); err != nil {
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
	deadline := time.Now().Add(timeout)
	var last string
	for time.Now().Before(deadline) {
		out, err := docker("inspect", "--format", "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}} {{.RestartCount}}", id)
		if err == nil {
			last = out
			f := strings.Fields(out)
			for _, s := range f {
				if s == want {
					return
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("container %s did not reach %q in %s (last: %s)", id[:12], want, timeout, last)
}

// WaitRestarts waits until the container has restarted at least n times.
func WaitRestarts(t testing.TB, id string, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		out, err := docker("inspect", "--format", "{{.RestartCount}}", id)
		if err == nil {
			if c, _ := strconv.Atoi(out); c >= n {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("container %s did not restart %d times in %s", id[:12], n, timeout)
}
