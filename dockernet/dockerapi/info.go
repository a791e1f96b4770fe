package dockerapi

import (
	"context"
	"fmt"
	"strings"

	"github.com/moby/moby/client"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Info reads the engine's description (GET /info).
func (c *Client) Info(ctx context.Context) (dockernet.EngineInfo, error) {
	res, err := c.api.Info(ctx, client.InfoOptions{})
	if err != nil {
		return dockernet.EngineInfo{}, fmt.Errorf("engine info: %w", err)
	}
	in := res.Info
	e := dockernet.EngineInfo{OperatingSystem: in.OperatingSystem, Version: in.ServerVersion}
	e.Desktop = strings.Contains(in.OperatingSystem, "Docker Desktop")
	for _, opt := range in.SecurityOptions {
		if strings.Contains(opt, "name=rootless") {
			e.Rootless = true
		}
	}
	e.Podman = strings.Contains(strings.ToLower(in.Name+" "+in.OperatingSystem), "podman") ||
		strings.Contains(strings.ToLower(in.ServerVersion), "podman")
	return e, nil
}
