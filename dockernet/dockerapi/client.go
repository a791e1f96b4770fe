// Package dockerapi is the live, read-only Docker Engine API client: the
// one part of tunneldoctor that compiles github.com/moby/moby/client. It
// sends only GET and HEAD requests, counts them, and implements
// dockernet.Engine, so the topology model and reasoning in package dockernet
// (and the packages that only read snapshots) never link the Docker client.
package dockerapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Client is a read-only Docker Engine client. It honours DOCKER_HOST (unix
// socket, or tcp://socket-proxy:2375) and the other DOCKER_* variables,
// negotiates the API version (1.40 Podman .. 1.56), refuses to send anything
// but GET and HEAD, and counts the requests it makes.
type Client struct {
	api       *client.Client
	host      string
	transport *http.Transport
	calls     atomic.Int64
	tooLarge  tooLargeLog
}

var _ dockernet.Engine = (*Client)(nil)

// ErrNotReadOnly is returned, without contacting Docker, for any request
// that is not a GET or HEAD. The agent never writes to Docker.
var ErrNotReadOnly = errors.New("dockerapi: refusing a non GET/HEAD request to the Docker API")

// Dial makes a client for host ("" means DOCKER_HOST, else the default
// socket) with DefaultLimits on every answer. It does not connect: the
// first call does.
func Dial(host string) (*Client, error) { return DialLimits(host, DefaultLimits()) }

// DialLimits is Dial with other bounds on the answers' sizes.
func DialLimits(host string, limits Limits) (*Client, error) {
	if host != "" {
		scheme, _, ok := strings.Cut(host, "://")
		switch {
		case !ok:
			return nil, fmt.Errorf("docker host %q: want unix:///path/docker.sock or tcp://host:port", host)
		case scheme != "unix" && scheme != "tcp" && scheme != "http" && scheme != "https" && scheme != "npipe":
			return nil, fmt.Errorf("docker host %q: unsupported scheme %q (want unix:// or tcp://)", host, scheme)
		}
	}
	c := &Client{}
	opts := []client.Opt{client.FromEnv, client.WithHTTPRequestHook(c.guard)}
	if host != "" {
		opts = append(opts, client.WithHost(host))
	}
	tr, scheme, err := baseTransport(host)
	if err != nil {
		return nil, fmt.Errorf("docker client for %q: %w", host, err)
	}
	// The moby client sends every request through this HTTP client: the
	// limit transport bounds each answer it returns.
	c.transport = tr
	opts = append(opts, client.WithHTTPClient(&http.Client{
		Transport:     &limitTransport{base: tr, limits: limits, note: c.tooLarge.add(&c.calls)},
		CheckRedirect: client.CheckRedirect,
	}))
	if scheme != "" {
		opts = append(opts, client.WithScheme(scheme))
	}
	api, err := client.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("docker client for %q: %w", host, err)
	}
	c.api, c.host = api, api.DaemonHost()
	return c, nil
}

// guard counts every request, and stops writes before they leave.
func (c *Client) guard(r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return fmt.Errorf("%w: %s %s", ErrNotReadOnly, r.Method, r.URL.Path)
	}
	c.calls.Add(1)
	return nil
}

// Host is the daemon address in use, e.g. unix:///var/run/docker.sock.
func (c *Client) Host() string { return c.host }

// Calls is the number of HTTP requests made so far (pings included).
func (c *Client) Calls() int { return int(c.calls.Load()) }

// Close releases idle connections.
func (c *Client) Close() error {
	c.transport.CloseIdleConnections()
	return c.api.Close()
}

// Ping checks the daemon answers and returns the negotiated API version.
func (c *Client) Ping(ctx context.Context) (string, error) {
	res, err := c.api.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true})
	if err != nil {
		return "", fmt.Errorf("docker ping %s: %w", c.host, err)
	}
	return c.api.ClientVersion() + " (engine " + res.APIVersion + ")", nil
}

// ListContainers lists every container, stopped ones included.
func (c *Client) ListContainers(ctx context.Context) ([]container.Summary, error) {
	res, err := c.api.ContainerList(ctx, client.ContainerListOptions{All: true})
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	return res.Items, nil
}

// InspectContainer reads one container's full description.
func (c *Client) InspectContainer(ctx context.Context, id string) (container.InspectResponse, error) {
	res, err := c.api.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return container.InspectResponse{}, fmt.Errorf("inspect container %s: %w", id, err)
	}
	return res.Container, nil
}

// ListNetworks lists networks (without members: the list omits them).
func (c *Client) ListNetworks(ctx context.Context) ([]network.Summary, error) {
	res, err := c.api.NetworkList(ctx, client.NetworkListOptions{})
	if err != nil {
		return nil, fmt.Errorf("list networks: %w", err)
	}
	return res.Items, nil
}

// ContainerLogs streams the last tail lines of stdout and stderr.
func (c *Client) ContainerLogs(ctx context.Context, id string, tail int) (io.ReadCloser, error) {
	rc, err := c.api.ContainerLogs(ctx, id, client.ContainerLogsOptions{
		ShowStdout: true, ShowStderr: true, Tail: strconv.Itoa(tail),
	})
	if err != nil {
		return nil, fmt.Errorf("logs of container %s: %w", id, err)
	}
	return rc, nil
}

// ContainerStats reads one stats sample.
func (c *Client) ContainerStats(ctx context.Context, id string) (io.ReadCloser, error) {
	res, err := c.api.ContainerStats(ctx, id, client.ContainerStatsOptions{Stream: false})
	if err != nil {
		return nil, fmt.Errorf("stats of container %s: %w", id, err)
	}
	return res.Body, nil
}
