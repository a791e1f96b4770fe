package dockernet

import (
	"context"
	"io"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
)

// Engine is the part of the Docker Engine API this package reads.
// dockerapi.Client is the real one (this package does not import it); a
// synthetic Engine lets Topology building be tested and benchmarked without
// a daemon. Every method is a GET.
type Engine interface {
	ListContainers(ctx context.Context) ([]container.Summary, error)
	InspectContainer(ctx context.Context, id string) (container.InspectResponse, error)
	ListNetworks(ctx context.Context) ([]network.Summary, error)
	// ContainerLogs streams stdout and stderr (multiplexed unless the
	// container has a TTY) of the last tail lines.
	ContainerLogs(ctx context.Context, id string, tail int) (io.ReadCloser, error)
	// ContainerStats is one stats sample (no stream).
	ContainerStats(ctx context.Context, id string) (io.ReadCloser, error)
}
