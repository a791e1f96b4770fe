package dockernet

import (
	"context"
	"fmt"
	"strings"

	"github.com/moby/moby/client"
)

// EngineInfo is what decides platform-specific verdicts: Docker Desktop
// resolves host.docker.internal by itself; rootless Docker blocks
// container-to-host loopback unless configured; Podman has its own DNS.
type EngineInfo struct {
	OperatingSystem string `json:"operating_system"`
	Version         string `json:"version"`
	Desktop         bool   `json:"desktop,omitempty"`
	Rootless        bool   `json:"rootless,omitempty"`
	Podman          bool   `json:"podman,omitempty"`
}

// Info reads the engine's description (GET /info).
func (c *Client) Info(ctx context.Context) (EngineInfo, error) {
	res, err := c.api.Info(ctx, client.InfoOptions{})
	if err != nil {
		return EngineInfo{}, fmt.Errorf("engine info: %w", err)
	}
	in := res.Info
	e := EngineInfo{OperatingSystem: in.OperatingSystem, Version: in.ServerVersion}
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
