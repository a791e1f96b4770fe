package dockernet

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync/atomic"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
)

// synthHost is an Engine over hand-written data, for reasoning tests and
// benchmarks. Real-daemon behaviour is covered by the integration tests.
type synthHost struct {
	containers []container.InspectResponse
	networks   []network.Summary
	calls      atomic.Int64
	denyNets   bool
}

type synthC struct {
	name, image, mode, state string
	nets                     map[string][]string // network name -> aliases
	extraHosts               []string
	labels                   map[string]string
	env                      []string
}

func newSynth() *synthHost {
	h := &synthHost{}
	h.addNetwork("bridge", false, false)
	h.addNetwork("host", false, false)
	return h
}

func (h *synthHost) addNetwork(name string, internal, noICC bool) {
	opts := map[string]string{}
	if noICC {
		opts["com.docker.network.bridge.enable_icc"] = "false"
	}
	driver := "bridge"
	if name == "host" {
		driver = "host"
	}
	h.networks = append(h.networks, network.Summary{Network: network.Network{
		ID: "net-" + name, Name: name, Driver: driver, Internal: internal, Options: opts,
	}})
}

func (h *synthHost) add(c synthC) string {
	id := fmt.Sprintf("%x", sha256.Sum256([]byte(c.name)))
	if c.state == "" {
		c.state = "running"
	}
	if c.mode == "" {
		c.mode = "bridge"
		for n := range c.nets {
			c.mode = n
		}
	}
	if strings.HasPrefix(c.mode, "container:") {
		if d := h.byName(strings.TrimPrefix(c.mode, "container:")); d != "" {
			c.mode = "container:" + d
		}
	}
	eps := map[string]*network.EndpointSettings{}
	for n, aliases := range c.nets {
		eps[n] = &network.EndpointSettings{
			NetworkID: "net-" + n, Aliases: aliases,
			IPAddress: netip.AddrFrom4([4]byte{10, byte(len(h.networks)), byte(len(h.containers) >> 8), byte(len(h.containers))}),
		}
	}
	labels := c.labels
	if labels == nil {
		labels = map[string]string{}
	}
	h.containers = append(h.containers, container.InspectResponse{
		ID: id, Name: "/" + c.name, Image: c.image,
		State:           &container.State{Status: container.ContainerState(c.state), Running: c.state == "running"},
		HostConfig:      &container.HostConfig{NetworkMode: container.NetworkMode(c.mode), ExtraHosts: c.extraHosts},
		Config:          &container.Config{Image: c.image, Labels: labels, Env: c.env, Hostname: id[:12]},
		NetworkSettings: &container.NetworkSettings{Networks: eps},
	})
	return id
}

func (h *synthHost) byName(name string) string {
	for _, c := range h.containers {
		if c.Name == "/"+name {
			return c.ID
		}
	}
	return ""
}

func (h *synthHost) ListContainers(context.Context) ([]container.Summary, error) {
	h.calls.Add(1)
	out := make([]container.Summary, 0, len(h.containers))
	for _, c := range h.containers {
		s := container.Summary{
			ID: c.ID, Names: []string{c.Name}, Image: c.Config.Image, State: c.State.Status,
			Labels: c.Config.Labels, NetworkSettings: &container.NetworkSettingsSummary{Networks: map[string]*network.EndpointSettings{}},
		}
		s.HostConfig.NetworkMode = string(c.HostConfig.NetworkMode)
		for n, e := range c.NetworkSettings.Networks {
			cp := *e
			cp.Aliases = nil // as engines before API 1.44 list them
			s.NetworkSettings.Networks[n] = &cp
		}
		out = append(out, s)
	}
	return out, nil
}

func (h *synthHost) InspectContainer(_ context.Context, id string) (container.InspectResponse, error) {
	h.calls.Add(1)
	for _, c := range h.containers {
		if c.ID == id {
			return c, nil
		}
	}
	return container.InspectResponse{}, errors.New("no such container " + id)
}

func (h *synthHost) ListNetworks(context.Context) ([]network.Summary, error) {
	h.calls.Add(1)
	if h.denyNets {
		return nil, errors.New("403 Forbidden")
	}
	return h.networks, nil
}

func (h *synthHost) ContainerLogs(context.Context, string, int) (io.ReadCloser, error) {
	return nil, errors.New("no logs in synthetic hosts")
}

func (h *synthHost) ContainerStats(context.Context, string) (io.ReadCloser, error) {
	return nil, errors.New("no stats in synthetic hosts")
}

// load builds the topology and inspects everything (tests want aliases).
func (h *synthHost) load(t interface{ Fatal(...any) }) *Topology {
	topo, err := Load(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range topo.Containers {
		ids = append(ids, c.ID)
	}
	topo.Inspect(context.Background(), h, ids...)
	return topo
}
