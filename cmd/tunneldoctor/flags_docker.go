package main

import (
	"flag"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockerapi"
)

func bindDockerFlags(fs *flag.FlagSet, o *agent.Options) {
	o.Docker.Dialer = dialDocker
	fs.StringVar(&o.Docker.Cloudflared, "cloudflared", envOr("TUNNELDOCTOR_CLOUDFLARED", ""),
		"cloudflared's container name or ID; default: the container whose network namespace tunneldoctor shares, else the only one running cloudflared (env TUNNELDOCTOR_CLOUDFLARED)")
	host := &dockerHost{o: o}
	_ = host.Set(envOr("TUNNELDOCTOR_DOCKER_HOST", ""))
	fs.Var(host, "docker-host",
		"Docker API address, e.g. unix:///var/run/docker.sock or tcp://socket-proxy:2375; default DOCKER_HOST, else the local socket; \"off\" skips Docker (env TUNNELDOCTOR_DOCKER_HOST)")
}

// dockerHost is --docker-host: an address, or "off" for hosts without Docker.
type dockerHost struct{ o *agent.Options }

func (d *dockerHost) String() string {
	if d == nil || d.o == nil {
		return ""
	}
	if d.o.Docker.Disabled != "" {
		return "off"
	}
	return d.o.Docker.Host
}

func (d *dockerHost) Set(v string) error {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "off", "none", "false":
		d.o.Docker.Host, d.o.Docker.Disabled = "", "Docker is switched off (--docker-host off)"
	default:
		d.o.Docker.Host, d.o.Docker.Disabled = strings.TrimSpace(v), ""
	}
	return nil
}

// dialDocker is the Docker collector's dialer: the live read-only client.
func dialDocker(host string) (agent.DockerClient, error) { return dockerapi.Dial(host) }
