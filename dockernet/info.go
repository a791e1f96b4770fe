package dockernet

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
