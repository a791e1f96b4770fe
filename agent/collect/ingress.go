package collect

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// IngressOptions configures how the ingress configuration is found.
type IngressOptions struct {
	// ConfigPath is a config file given by the user (--config). It wins over
	// the file found from cloudflared's command line and mounts.
	ConfigPath string
	// RemoteConfig fetches the tunnel's configuration from the Cloudflare
	// API. It is asked only when neither cloudflared's /config nor a file
	// gave the ingress; nil means the edge collector's API client
	// (remoteTunnelConfig), so this field is an override for tests.
	RemoteConfig func(ctx context.Context) (*tunnelcfg.Config, error)
}

// collectIngress decides which ingress cloudflared runs, in order of truth:
// cloudflared's own /config; a config file (--config, else the one
// cloudflared reads, when tunneldoctor can see it); the API's remote
// configuration; `--url` on cloudflared's command line. The file is read
// whenever possible so conflicts with the live configuration can be shown.
func collectIngress(ctx context.Context, opts Options, s *agent.Snapshot, cl *clients) {
	in := &s.Ingress
	in.Settings = s.Docker.Settings
	args := cloudflaredArgs{}
	if s.Docker.Cloudflared != nil {
		args = cloudflaredView(s.Docker.Settings, s.Cloudflared.Command)
	}
	fileNote := readIngressFile(opts.Ingress.ConfigPath, args, s)
	fetchRemote := opts.Ingress.RemoteConfig
	if fetchRemote == nil {
		fetchRemote = func(ctx context.Context) (*tunnelcfg.Config, error) { return remoteTunnelConfig(ctx, opts, s, cl) }
	}

	switch live := s.Cloudflared.Config; {
	case live != nil && live.Version < 0 && in.File != nil && sameRules(live.Rules, in.File.Rules):
		// cloudflared runs exactly the file: use the file, whose problems
		// carry line numbers.
		in.Config, in.Problems = in.File, in.FileProblems
		in.Notes = append(in.Notes, "ingress: cloudflared's /config, version -1: its local config file, identical to "+in.File.Path)
	case live != nil:
		in.Config, in.Problems = live, tunnelcfg.Validate(live)
		if live.Version >= 0 {
			in.Notes = append(in.Notes, fmt.Sprintf("ingress: cloudflared's /config, version %d: the dashboard-managed configuration is live (a local file and --url are ignored)", live.Version))
		} else {
			in.Notes = append(in.Notes, "ingress: cloudflared's /config, version -1: its local config file")
		}
	case in.File != nil:
		in.Config, in.Problems = in.File, in.FileProblems
		s.Tunnel.ConfigSource, s.Tunnel.ConfigVersion = agent.ConfigSourceFile, tunnelcfg.LocalVersion
		in.Notes = append(in.Notes, "ingress: the file "+in.File.Path+" (cloudflared's /config could not be read, so the dashboard may override it)")
	case remoteIngress(ctx, fetchRemote, s):
	case args.url != "":
		cfg := &tunnelcfg.Config{Origin: tunnelcfg.FromCLI, Version: tunnelcfg.LocalVersion,
			Rules: []tunnelcfg.Rule{{Index: 0, Service: args.url}}}
		in.Config, in.Problems = cfg, tunnelcfg.Validate(cfg)
		s.Tunnel.ConfigSource, s.Tunnel.ConfigVersion = agent.ConfigSourceCLI, tunnelcfg.LocalVersion
		in.Notes = append(in.Notes, "ingress: --url "+args.url+" on cloudflared's command line (one catch-all rule)")
	default:
		why := "no ingress configuration found: cloudflared's metrics server could not be read"
		if s.Cloudflared.Missing != "" {
			why = "no ingress configuration found (" + s.Cloudflared.Missing + ")"
		}
		if fileNote != "" {
			why += "; " + fileNote
		} else {
			why += "; pass --config FILE"
		}
		in.Missing = why
		return
	}
	if fileNote != "" {
		in.Notes = append(in.Notes, fileNote)
	}
}

// remoteIngress asks the API hook; true when it gave a configuration.
func remoteIngress(ctx context.Context, fetch func(context.Context) (*tunnelcfg.Config, error), s *agent.Snapshot) bool {
	cfg, err := fetch(ctx)
	if err != nil || cfg == nil {
		if err != nil && !errors.Is(err, ErrNoAPI) {
			s.Ingress.Notes = append(s.Ingress.Notes, "ingress: the API's tunnel configuration could not be read: "+err.Error())
		}
		return false
	}
	s.Ingress.Config, s.Ingress.Problems = cfg, tunnelcfg.Validate(cfg)
	s.Tunnel.ConfigSource, s.Tunnel.ConfigVersion = agent.ConfigSourceAPI, cfg.Version
	s.Ingress.Notes = append(s.Ingress.Notes, fmt.Sprintf("ingress: the Cloudflare API's tunnel configuration, version %d (cloudflared itself could not be asked)", cfg.Version))
	return true
}

// readIngressFile loads the config file into s.Ingress.File when it can be
// found and read. It returns a note for the report: where the file came
// from, or why cloudflared's file could not be read and which mount to add.
func readIngressFile(explicit string, args cloudflaredArgs, s *agent.Snapshot) string {
	var paths []configCandidate
	switch {
	case explicit != "":
		paths = []configCandidate{{path: explicit, readAs: []string{explicit}, why: "--config"}}
	case s.Docker.Cloudflared != nil:
		paths = cloudflaredConfigPaths(args.configPath, s)
	}
	var unreadable []string
	for _, p := range paths {
		var lastErr error
		for _, try := range p.readAs {
			cfg, problems, err := tunnelcfg.Load(try)
			if err != nil {
				lastErr = err
				continue
			}
			problems = append(problems, tunnelcfg.ValidateWithSettings(cfg, s.Docker.Settings)...)
			s.Ingress.File, s.Ingress.FileProblems = cfg, problems
			return "config file: " + try + " (" + p.why + ")"
		}
		if explicit != "" && lastErr != nil {
			return "the --config file could not be read: " + lastErr.Error()
		}
		if p.mountFix != "" {
			unreadable = append(unreadable, p.mountFix)
		}
	}
	if len(unreadable) > 0 {
		return strings.Join(unreadable, "; ")
	}
	return ""
}

// configCandidate is a config file cloudflared may read, and the paths at
// which tunneldoctor may see it.
type configCandidate struct {
	path     string   // inside cloudflared's container
	readAs   []string // where tunneldoctor tries to read it
	why      string
	mountFix string // what to add when none of readAs works
}

// cloudflaredConfigPaths lists cloudflared's config file (--config) or, when
// it has none, the default search paths that are mounted into its container.
func cloudflaredConfigPaths(configPath string, s *agent.Snapshot) []configCandidate {
	c := s.Docker.Cloudflared
	var paths []string
	why := "cloudflared's --config"
	if configPath != "" {
		paths = []string{configPath}
	} else {
		why = "cloudflared's default search path"
		for _, p := range defaultConfigPaths() {
			if mountFor(c.Mounts, p) != nil {
				paths = append(paths, p)
			}
		}
	}
	var out []configCandidate
	for _, p := range paths {
		cand := configCandidate{path: p, readAs: []string{p}, why: why}
		if m := mountFor(c.Mounts, p); m != nil {
			if s.Docker.Self == nil && m.Type == "bind" && m.Source != "" {
				// tunneldoctor on the host: the bind mount's source is right here.
				cand.readAs = append(cand.readAs, m.Source+strings.TrimPrefix(p, m.Destination))
			}
			cand.mountFix = fmt.Sprintf("cloudflared reads %s but tunneldoctor cannot see it: give tunneldoctor the same mount (docker run -v %s:%s:ro, or in compose `volumes: [\"%s:%s:ro\"]`)",
				p, m.Source, m.Destination, m.Source, m.Destination)
		} else {
			cand.mountFix = fmt.Sprintf("cloudflared reads %s from its own image or volume; mount the same file into tunneldoctor at %s, or pass --config", p, p)
		}
		out = append(out, cand)
	}
	return out
}

// defaultConfigPaths is cloudflared's search order for config.yml/.yaml,
// with the official image's HOME (/home/nonroot) and root's.
func defaultConfigPaths() []string {
	seen := map[string]bool{}
	var out []string
	for _, home := range []string{"/home/nonroot", "/root"} {
		for _, p := range tunnelcfg.DefaultConfigSearchPaths(home) {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// sameRules reports whether two rule lists match in hostname, path and
// service, in order.
func sameRules(a, b []tunnelcfg.Rule) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Hostname != b[i].Hostname || a[i].Path != b[i].Path || a[i].Service != b[i].Service {
			return false
		}
	}
	return true
}
