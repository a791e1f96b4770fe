package dockernet

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// RedactedValue replaces every environment value kept in a Container.
const RedactedValue = redact.Marker

// fromSummary builds a Container from the list data: enough for names,
// compose identity, state and networks, but no aliases on engines before
// API 1.44 (they list them as null) and no health log or restart count.
func fromSummary(s container.Summary) *Container {
	c := &Container{
		ID:          s.ID,
		Image:       s.Image,
		ImageID:     s.ImageID,
		Command:     s.Command,
		State:       string(s.State),
		Status:      s.Status,
		NetworkMode: s.HostConfig.NetworkMode,
		Labels:      s.Labels,
	}
	if len(s.Names) > 0 {
		c.Name = strings.TrimPrefix(s.Names[0], "/")
	}
	c.Project, c.Service = s.Labels[LabelProject], s.Labels[LabelService]
	if s.NetworkSettings != nil {
		c.Endpoints = endpoints(s.NetworkSettings.Networks)
	}
	for _, p := range s.Ports {
		if p.PublicPort == 0 {
			continue
		}
		c.Published = append(c.Published, PortBinding{
			ContainerPort: strconv.Itoa(int(p.PrivatePort)) + "/" + p.Type,
			HostIP:        addrString(p.IP.String()),
			HostPort:      strconv.Itoa(int(p.PublicPort)),
		})
	}
	c.Mounts = mounts(s.Mounts)
	return c
}

// applyInspect fills c with the inspect data, which wins over the list's.
func applyInspect(c *Container, in container.InspectResponse) {
	c.Inspected, c.InspectError = true, ""
	if in.ID != "" {
		c.ID = in.ID
	}
	if in.Name != "" {
		c.Name = strings.TrimPrefix(in.Name, "/")
	}
	c.RestartCount = in.RestartCount
	if st := in.State; st != nil {
		c.State = string(st.Status)
		c.OOMKilled, c.ExitCode, c.Error = st.OOMKilled, st.ExitCode, st.Error
		c.StartedAt, c.FinishedAt = parseTime(st.StartedAt), parseTime(st.FinishedAt)
		if h := st.Health; h != nil {
			c.Health = &Health{Status: string(h.Status), FailingStreak: h.FailingStreak}
			for _, r := range h.Log {
				if r != nil {
					c.Health.Log = append(c.Health.Log, HealthResult{End: r.End, ExitCode: r.ExitCode, Output: r.Output})
				}
			}
		}
	}
	if hc := in.HostConfig; hc != nil {
		c.NetworkMode = string(hc.NetworkMode)
		c.ExtraHosts = hc.ExtraHosts
		c.RestartPolicy = string(hc.RestartPolicy.Name)
		c.MemoryLimit = hc.Memory
		c.PortBindings = portBindings(hc.PortBindings)
	}
	if cfg := in.Config; cfg != nil {
		c.Hostname = cfg.Hostname
		if cfg.Image != "" {
			c.Image = cfg.Image // the name the user gave, not a resolved ID
		}
		c.Labels = cfg.Labels
		c.Project, c.Service = cfg.Labels[LabelProject], cfg.Labels[LabelService]
		c.Entrypoint, c.Cmd = cfg.Entrypoint, cfg.Cmd
		c.rawEnv = cfg.Env
		c.Env = redactEnv(cfg.Env)
		c.ExposedPorts = c.ExposedPorts[:0]
		for p := range cfg.ExposedPorts {
			c.ExposedPorts = append(c.ExposedPorts, p.String())
		}
		sort.Strings(c.ExposedPorts)
	}
	if ns := in.NetworkSettings; ns != nil {
		c.Endpoints = endpoints(ns.Networks)
		c.Published = c.Published[:0]
		for p, bindings := range ns.Ports {
			for _, b := range bindings {
				c.Published = append(c.Published, PortBinding{
					ContainerPort: p.String(), HostIP: addrString(b.HostIP.String()), HostPort: b.HostPort,
				})
			}
		}
		sort.Slice(c.Published, func(i, j int) bool { return c.Published[i].ContainerPort < c.Published[j].ContainerPort })
	}
	c.Mounts = mounts(in.Mounts)
}

func endpoints(m map[string]*network.EndpointSettings) []Endpoint {
	out := make([]Endpoint, 0, len(m))
	for name, e := range m {
		if e == nil {
			continue
		}
		out = append(out, Endpoint{
			NetworkID:   e.NetworkID,
			NetworkName: name,
			Aliases:     e.Aliases,
			DNSNames:    e.DNSNames,
			IPv4:        addrString(e.IPAddress.String()),
			IPv6:        addrString(e.GlobalIPv6Address.String()),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NetworkName < out[j].NetworkName })
	return out
}

func mounts(ms []container.MountPoint) []Mount {
	out := make([]Mount, 0, len(ms))
	for _, m := range ms {
		out = append(out, Mount{Type: string(m.Type), Source: m.Source, Destination: m.Destination, RW: m.RW})
	}
	return out
}

func fromNetwork(n network.Network) *Network {
	return &Network{
		ID: n.ID, Name: n.Name, Driver: n.Driver, Scope: n.Scope, Internal: n.Internal,
		ICCDisabled: n.Options["com.docker.network.bridge.enable_icc"] == "false",
		Labels:      n.Labels,
	}
}

// addrString turns the zero netip.Addr's "invalid IP" into "".
func addrString(s string) string {
	if s == "invalid IP" {
		return ""
	}
	return s
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() <= 1 {
		return time.Time{}
	}
	return t
}

// redactEnv keeps the names, never the values.
func redactEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		out = append(out, name+"="+RedactedValue)
	}
	return out
}
