// Package dockernet is the pure, read-only topology model of a Docker host
// and the reasoning over it: which containers and networks exist, how they
// are wired, and what a name resolves to from a given container's network
// namespace. Reasoning is pure (functions of a Topology); Docker is read only
// through the Engine interface, whose live implementation is the separate
// package dockernet/dockerapi (GET and HEAD only). This package does not
// compile the Docker client (github.com/moby/moby/client; only the API
// types of github.com/moby/moby/api), and imports nothing from this module
// but leaf packages (tunnelcfg/textdist, tunnelcfg/redact).
package dockernet

import (
	"path"
	"strings"
	"time"
)

// Container is one container as the Engine API describes it. Fields only
// inspect provides (health log, restart count, env, extra hosts...) are zero
// until Inspected is true.
type Container struct {
	ID      string `json:"id"`
	Name    string `json:"name"` // without Docker's leading "/"
	Image   string `json:"image"`
	ImageID string `json:"image_id,omitempty"`
	// Command is the list's one-line command (entrypoint and args).
	Command string `json:"command,omitempty"`
	// Project and Service are the compose labels, "" outside compose.
	Project string `json:"project,omitempty"`
	Service string `json:"service,omitempty"`

	State        string    `json:"state"` // created, running, paused, restarting, removing, exited, dead
	Status       string    `json:"status,omitempty"`
	OOMKilled    bool      `json:"oom_killed,omitempty"`
	ExitCode     int       `json:"exit_code"`
	Error        string    `json:"error,omitempty"`
	StartedAt    time.Time `json:"started_at,omitzero"`
	FinishedAt   time.Time `json:"finished_at,omitzero"`
	RestartCount int       `json:"restart_count"`
	// RestartPolicy is HostConfig.RestartPolicy.Name ("always", "unless-stopped"...).
	RestartPolicy string  `json:"restart_policy,omitempty"`
	Health        *Health `json:"health,omitempty"` // nil: no healthcheck

	// NetworkMode is HostConfig.NetworkMode as stored: "default", "bridge",
	// "host", "none", a network name, or "container:<id>".
	NetworkMode string     `json:"network_mode"`
	Hostname    string     `json:"hostname,omitempty"`
	Endpoints   []Endpoint `json:"endpoints,omitempty"` // sorted by network name
	ExtraHosts  []string   `json:"extra_hosts,omitempty"`
	// ExposedPorts are documentation only ("8080/tcp"): they prove nothing
	// about what listens.
	ExposedPorts []string          `json:"exposed_ports,omitempty"`
	Published    []PortBinding     `json:"published,omitempty"`
	Mounts       []Mount           `json:"mounts,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	Entrypoint   []string          `json:"entrypoint,omitempty"`
	Cmd          []string          `json:"cmd,omitempty"`
	// Env holds the variable names with their values redacted. The values
	// are secrets (TUNNEL_TOKEN...) and reach callers only through RawEnv.
	Env         []string `json:"env,omitempty"`
	MemoryLimit int64    `json:"memory_limit,omitempty"` // bytes, 0 = none

	// PortBindings are the publications asked for at create time
	// (HostConfig.PortBindings, inspect only): unlike Published they stay
	// while the container is stopped. HostPort "" means a random port.
	PortBindings []PortBinding `json:"port_bindings,omitempty"`

	// Inspected is true when the inspect data above was read; InspectError
	// says why it was not (a socket proxy's 403 means unknown, not absent).
	Inspected    bool   `json:"inspected"`
	InspectError string `json:"inspect_error,omitempty"`

	rawEnv []string
}

// Health is a container's healthcheck state.
type Health struct {
	Status        string         `json:"status"` // starting, healthy, unhealthy
	FailingStreak int            `json:"failing_streak"`
	Log           []HealthResult `json:"log,omitempty"` // oldest first, at most 5
}

// HealthResult is one healthcheck run.
type HealthResult struct {
	End      time.Time `json:"end"`
	ExitCode int       `json:"exit_code"`
	Output   string    `json:"output"`
}

// Last returns the newest healthcheck result, if any.
func (h *Health) Last() (HealthResult, bool) {
	if h == nil || len(h.Log) == 0 {
		return HealthResult{}, false
	}
	return h.Log[len(h.Log)-1], true
}

// Endpoint is a container's attachment to one network.
type Endpoint struct {
	NetworkID   string `json:"network_id"`
	NetworkName string `json:"network_name"`
	// Aliases are the user-given names (compose adds the service and
	// container names). DNSNames (API >= 1.44) is every name the embedded
	// DNS answers for this endpoint; empty on older engines and Podman.
	Aliases  []string `json:"aliases,omitempty"`
	DNSNames []string `json:"dns_names,omitempty"`
	IPv4     string   `json:"ipv4,omitempty"`
	IPv6     string   `json:"ipv6,omitempty"`
}

// PortBinding is a published port.
type PortBinding struct {
	ContainerPort string `json:"container_port"` // "8080/tcp"
	HostIP        string `json:"host_ip,omitempty"`
	HostPort      string `json:"host_port"`
}

// Mount is one mount of a container.
type Mount struct {
	Type        string `json:"type"`
	Source      string `json:"source,omitempty"`
	Destination string `json:"destination"`
	RW          bool   `json:"rw"`
}

// Network is one Docker network.
type Network struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Driver   string `json:"driver"`
	Scope    string `json:"scope,omitempty"`
	Internal bool   `json:"internal,omitempty"`
	// ICCDisabled is com.docker.network.bridge.enable_icc=false: containers
	// on it cannot talk to each other.
	ICCDisabled bool              `json:"icc_disabled,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	// Members are the IDs of containers attached to it (containers sharing
	// another's namespace are not members: they use their donor's).
	Members []string `json:"members,omitempty"`
}

// IsDefaultBridge reports whether this is Docker's default "bridge" network,
// which has no name resolution between containers.
func (n *Network) IsDefaultBridge() bool {
	return n.Name == "bridge" || n.Labels["com.docker.network.bridge.default_bridge"] == "true"
}

// ShortID is Docker's 12-character container ID, a name the embedded DNS
// answers to.
func ShortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// Running reports whether the container can serve: running, and neither
// restarting nor paused.
func (c *Container) Running() bool { return c.State == "running" }

// RawEnv returns the container's environment with its values. Only
// discovery should call it (to read cloudflared's settings); never print it.
func (c *Container) RawEnv() []string { return c.rawEnv }

// Endpoint returns the container's attachment to a network ID.
func (c *Container) Endpoint(networkID string) (Endpoint, bool) {
	for _, e := range c.Endpoints {
		if e.NetworkID == networkID {
			return e, true
		}
	}
	return Endpoint{}, false
}

// NetworkNames lists the names of the networks the container is attached to.
func (c *Container) NetworkNames() []string {
	out := make([]string, 0, len(c.Endpoints))
	for _, e := range c.Endpoints {
		out = append(out, e.NetworkName)
	}
	return out
}

// Compose labels, set on every container compose creates.
const (
	LabelProject = "com.docker.compose.project"
	LabelService = "com.docker.compose.service"
)

// LooksLikeCloudflared reports whether a container runs cloudflared: its
// image is cloudflared's, or its entrypoint or command is the cloudflared
// binary.
func (c *Container) LooksLikeCloudflared() bool {
	if c.Labels["org.opencontainers.image.source"] == "https://github.com/cloudflare/cloudflared" {
		return true
	}
	if repo := imageRepo(c.Image); repo == "cloudflared" || strings.HasSuffix(repo, "/cloudflared") {
		return true
	}
	first := c.Command
	if len(c.Entrypoint) > 0 {
		first = c.Entrypoint[0]
	} else if len(c.Cmd) > 0 {
		first = c.Cmd[0]
	}
	first, _, _ = strings.Cut(strings.TrimSpace(first), " ")
	return path.Base(first) == "cloudflared"
}

// imageRepo strips the tag and digest from an image reference.
func imageRepo(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	return strings.ToLower(ref)
}
