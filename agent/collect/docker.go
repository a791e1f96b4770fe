package collect

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockerapi"
)

// collectDocker reads the Docker host and decides which container is
// cloudflared: the one whose network namespace tunneldoctor shares, else
// --cloudflared, else the only container running cloudflared. It inspects
// only cloudflared, its namespace and tunneldoctor's own container here;
// origins are inspected once the ingress rules are known
// (collectDockerOrigins).
func collectDocker(ctx context.Context, opts Options, s *agent.Snapshot, cl *clients) {
	d := &s.Docker
	if why := opts.Docker.Disabled; why != "" {
		d.Missing = why
		return
	}
	ctx, cancel := context.WithTimeout(ctx, dockerTimeout(opts.Docker))
	defer cancel()
	cli := opts.Docker.Client
	cl.lent = cli != nil
	if cli == nil {
		var err error
		if cli, err = dockerapi.Dial(opts.Docker.Host); err != nil {
			fail(d, err.Error())
			return
		}
	}
	cl.docker, cl.callsBefore = cli, cli.Calls()
	d.Host = cli.Host()
	defer cl.countDockerCalls(d)
	version, err := cli.Ping(ctx)
	if err != nil {
		fail(d, fmt.Sprintf("Docker API at %s unreachable: %v", cli.Host(), err))
		return
	}
	d.APIVersion = version
	topo, err := dockernet.Load(ctx, cli)
	if _, big := dockernet.AsTooLarge(err); big {
		// Docker answered, too much: AGT105 reports it (from TooLarge), and
		// the checks that need the topology are skipped with this reason.
		d.Missing = fmt.Sprintf("Docker API at %s: %v", cli.Host(), err)
		return
	}
	if err != nil {
		fail(d, fmt.Sprintf("Docker API at %s: %v", cli.Host(), err))
		return
	}
	d.Topology = topo
	if info, err := cli.Info(ctx); err == nil {
		d.Engine, topo.Desktop = &info, info.Desktop
	} else {
		d.Unknown = appendNew(d.Unknown, unknownInfo(err))
	}
	hints := opts.Docker.SelfHints
	if hints == nil {
		hints = dockernet.SelfHints()
	}
	self, nsOf := findSelf(topo, hints)
	d.Self = self
	d.Cloudflared, d.Discovery = chooseCloudflared(topo, self, nsOf, opts.Docker.Cloudflared)
	// Inspect what the network verdicts start from: cloudflared, the
	// containers in its namespace, and ourselves.
	var refs []string
	for _, c := range []*dockernet.Container{d.Cloudflared, self, nsOf} {
		if c == nil {
			continue
		}
		refs = append(refs, c.ID)
		ns := topo.Namespace(c)
		for _, link := range ns.Chain {
			refs = append(refs, link.ID)
		}
		if ns.Owner != nil {
			for _, j := range topo.Sharing(ns.Owner) {
				refs = append(refs, j.ID)
			}
		}
	}
	topo.Inspect(ctx, cli, refs...)
	d.Unknown = appendNew(d.Unknown, topo.Unknown...)
	log := opts.Logger.With().Str("source", agent.SourceDocker).Logger()
	log.Debug().Str("docker_host", d.Host).Str("api", d.APIVersion).
		Int("containers", len(topo.Containers)).Int("networks", len(topo.Networks)).
		Str("self", nameOf(self)).Str("cloudflared", nameOf(d.Cloudflared)).
		Str("how", d.Discovery.How).Str("discovery_error", d.Discovery.Error).
		Strs("unknown", topo.Unknown).Msg("docker topology read")
	if d.Cloudflared == nil {
		// Every network verdict starts from cloudflared: without it those
		// checks are skipped with this reason (AGT102 says what to do).
		d.Missing = "cloudflared container not identified: " + d.Discovery.Error
		return
	}
	cf := d.Cloudflared
	if cf.InspectError != "" {
		d.Unknown = appendNew(d.Unknown, "cloudflared container "+cf.Name+": "+cf.InspectError)
	}
	d.SharesNamespace = (self != nil && topo.SameNamespace(self, cf)) ||
		(nsOf != nil && topo.SameNamespace(nsOf, cf))
	s.Tunnel.Cloudflared = cf.Name
	d.Settings = cloudflaredSettings(cf)
	fillTunnelFromSettings(&s.Tunnel, d.Settings)
}

func dockerTimeout(o DockerOptions) time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return 20 * time.Second
}

// fail records that Docker could not be read: the network and origin
// checks are skipped with this reason.
func fail(d *agent.DockerFacts, why string) {
	d.Failure, d.Missing = why, why
}

// findSelf turns the hints into our own container (from the cgroup) and
// the container whose /etc/hostname we use (ourselves, or the donor of
// the network namespace we joined).
func findSelf(t *dockernet.Topology, hints []dockernet.Hint) (self, nsOf *dockernet.Container) {
	for _, h := range hints {
		c := t.Container(h.ID)
		if c == nil {
			continue
		}
		switch {
		case h.Source == "cgroup" && self == nil:
			self = c
		case h.Source != "cgroup" && nsOf == nil:
			nsOf = c
		}
	}
	if self == nil && nsOf != nil && !nsOf.LooksLikeCloudflared() {
		self = nsOf // a hostname we own, not one copied from cloudflared
	}
	return self, nsOf
}

// chooseCloudflared applies the discovery order.
func chooseCloudflared(t *dockernet.Topology, self, nsOf *dockernet.Container, named string) (*dockernet.Container, agent.Discovery) {
	var shared *dockernet.Container
	for _, c := range []*dockernet.Container{self, nsOf} {
		if c == nil || shared != nil {
			continue
		}
		ns := t.Namespace(c)
		if ns.Owner == nil {
			continue
		}
		for _, m := range append([]*dockernet.Container{ns.Owner}, t.Sharing(ns.Owner)...) {
			if m != self && m.LooksLikeCloudflared() {
				shared = m
				break
			}
		}
	}
	var byName *dockernet.Container
	if named != "" {
		byName = t.Container(named)
	}
	switch {
	case shared != nil:
		d := agent.Discovery{How: "shares its network namespace"}
		if named != "" && byName != shared {
			d.Note = fmt.Sprintf("--cloudflared %s ignored: tunneldoctor shares the network namespace of %s", named, shared.Name)
		}
		return shared, d
	case named != "" && byName != nil:
		return byName, agent.Discovery{How: "--cloudflared"}
	case named != "":
		return nil, agent.Discovery{
			Error:      fmt.Sprintf("--cloudflared %s: no such container", named),
			Candidates: describeAll(cloudflaredLike(t)),
		}
	}
	all := cloudflaredLike(t)
	var running []*dockernet.Container
	for _, c := range all {
		if c.Running() || c.State == "restarting" {
			running = append(running, c)
		}
	}
	switch {
	case len(running) == 1:
		return running[0], agent.Discovery{How: "the only cloudflared container"}
	case len(running) == 0 && len(all) == 1:
		return all[0], agent.Discovery{How: "the only cloudflared container"}
	case len(all) == 0:
		return nil, agent.Discovery{Error: "no container runs a cloudflared image or entrypoint"}
	}
	pool := running
	if len(pool) == 0 {
		pool = all
	}
	return nil, agent.Discovery{
		Error:      fmt.Sprintf("%d containers run cloudflared; say which with --cloudflared NAME", len(pool)),
		Candidates: describeAll(pool),
	}
}

func cloudflaredLike(t *dockernet.Topology) []*dockernet.Container {
	var out []*dockernet.Container
	for _, c := range t.Containers {
		if c.LooksLikeCloudflared() {
			out = append(out, c)
		}
	}
	return out
}

func describeAll(cs []*dockernet.Container) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s (%s, %s)", c.Name, c.Image, strings.TrimSpace(c.State)))
	}
	return out
}

func unknownInfo(err error) string {
	if dockernet.IsDenied(err) {
		return "engine info (Docker Desktop, rootless): refused by the Docker API (allow GET /info): " + err.Error()
	}
	return "engine info (Docker Desktop, rootless): " + err.Error()
}

func nameOf(c *dockernet.Container) string {
	if c == nil {
		return ""
	}
	return c.Name
}
