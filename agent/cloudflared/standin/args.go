package main

import (
	"strings"
)

// Flags cloudflared accepts before `run` (on the app and the tunnel command),
// and the much smaller set `tunnel run` defines (subcommands.go:716-731 in
// cloudflared 2026.8.2). A flag of the first set placed after `run` is the
// classic "Incorrect Usage: flag provided but not defined: -metrics".
var (
	tunnelValueFlags = set("config", "metrics", "loglevel", "transport-loglevel", "logfile", "log-directory",
		"output", "edge-ip-version", "protocol", "token", "token-file", "credentials-file", "cred-file",
		"credentials-contents", "origincert", "url", "region", "retries", "grace-period", "ha-connections",
		"origin-server-name", "http-host-header", "origin-ca-pool", "edge-bind-address", "features",
		"max-active-flows", "dns-resolver-addrs", "icmpv4-src", "icmpv6-src", "unix-socket", "label", "tag", "edge",
		// Secret flags: Access service tokens (defined on tunnel and run) and
		// the API keys (tunnel only), as tunnelcfg/cli_flags.go marks them.
		"secret-id", "access-key-id", "session-token", "api-key", "api-ca-key")
	tunnelBoolFlags = set("no-autoupdate", "hello-world", "no-tls-verify", "no-prechecks", "post-quantum",
		"bastion", "no-chunked-encoding")
	runValueFlags = set("credentials-file", "cred-file", "credentials-contents", "token", "token-file",
		"protocol", "features", "icmpv4-src", "icmpv6-src", "max-active-flows", "dns-resolver-addrs",
		"url", "origin-server-name", "http-host-header", "origin-ca-pool", "unix-socket",
		"secret-id", "access-key-id", "session-token")
	runBoolFlags = set("post-quantum", "hello-world", "no-tls-verify", "bastion")
)

// sliceFlags may be repeated; their values (and env values) are lists
// separated by commas, as urfave/cli's StringSliceFlag reads them.
var sliceFlags = set("edge", "label", "tag")

// envNames maps flags to the environment variables cloudflared reads for
// them (fact sheet §2.3). `config` and `output` have none / their own.
var envNames = map[string]string{
	"token":            "TUNNEL_TOKEN",
	"token-file":       "TUNNEL_TOKEN_FILE",
	"credentials-file": "TUNNEL_CRED_FILE",
	"metrics":          "TUNNEL_METRICS",
	"protocol":         "TUNNEL_TRANSPORT_PROTOCOL",
	"loglevel":         "TUNNEL_LOGLEVEL",
	"logfile":          "TUNNEL_LOGFILE",
	"output":           "TUNNEL_LOG_OUTPUT",
	"url":              "TUNNEL_URL",
	"no-autoupdate":    "NO_AUTOUPDATE",
	"no-tls-verify":    "NO_TLS_VERIFY",
	"ha-connections":   "TUNNEL_HA_CONNECTIONS",
	"edge":             "TUNNEL_EDGE",
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// invocation is a parsed command line.
type invocation struct {
	command string            // "version", "tunnel run", "tunnel ready", "tunnel"
	outer   map[string]string // flags before the subcommand of `tunnel`
	inner   map[string]string // flags after `run`
	args    []string          // positional arguments after `run` (tunnel name)
	// usageErr is urfave/cli's error for a flag the command does not define,
	// e.g. "flag provided but not defined: -metrics"; usageCmd is that command.
	usageErr, usageCmd string
}

// parseArgs reads argv the way urfave/cli (Go's flag package) does: flags
// until the first non-flag argument, which names the subcommand.
func parseArgs(argv []string) invocation {
	inv := invocation{outer: map[string]string{}, inner: map[string]string{}}
	rest, err := parseFlags(argv, tunnelValueFlags, tunnelBoolFlags, inv.outer)
	if err != "" {
		inv.usageErr, inv.usageCmd = err, "cloudflared"
		return inv
	}
	if len(rest) == 0 {
		inv.command = "tunnel" // cloudflared with no command runs the tunnel command
		return inv
	}
	switch rest[0] {
	case "version", "--version", "-v":
		inv.command = "version"
		return inv
	case "tunnel":
	default:
		inv.command = rest[0]
		return inv
	}
	rest, err = parseFlags(rest[1:], tunnelValueFlags, tunnelBoolFlags, inv.outer)
	if err != "" {
		inv.usageErr, inv.usageCmd = err, "tunnel"
		return inv
	}
	if len(rest) == 0 {
		inv.command = "tunnel"
		return inv
	}
	inv.command = "tunnel " + rest[0]
	switch rest[0] {
	case "run":
		rest, err = parseFlags(rest[1:], runValueFlags, runBoolFlags, inv.inner)
		if err != "" {
			inv.usageErr, inv.usageCmd = err, "run"
			return inv
		}
		inv.args = rest
	case "ready":
		_, err = parseFlags(rest[1:], nil, nil, inv.inner)
		if err != "" {
			inv.usageErr, inv.usageCmd = err, "ready"
		}
	}
	return inv
}

// parseFlags consumes flags into out and returns the remaining arguments, or
// the flag package's error text for an undefined flag.
func parseFlags(argv []string, values, bools map[string]bool, out map[string]string) ([]string, string) {
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		if a == "--" {
			return argv[i+1:], ""
		}
		if len(a) < 2 || a[0] != '-' {
			return argv[i:], ""
		}
		name := strings.TrimLeft(a, "-")
		value, hasValue := "", false
		if k, v, ok := strings.Cut(name, "="); ok {
			name, value, hasValue = k, v, true
		}
		switch {
		case bools[name]:
			if !hasValue {
				value = "true"
			}
			out[name] = value
		case values[name]:
			if !hasValue {
				if i+1 >= len(argv) {
					return nil, "flag needs an argument: -" + name
				}
				i++
				value = argv[i]
			}
			if prev, ok := out[name]; ok && sliceFlags[name] {
				value = prev + "," + value // a repeated slice flag adds to the list
			}
			out[name] = value
		default:
			return nil, "flag provided but not defined: -" + name
		}
	}
	return nil, ""
}

// lookup resolves a flag like urfave/cli with altsrc: the run command's flag,
// then the tunnel command's, then the environment, then the config file.
func (inv invocation) lookup(name string, getenv func(string) string, file map[string]string) string {
	if v, ok := inv.inner[name]; ok {
		return v
	}
	if v, ok := inv.outer[name]; ok {
		return v
	}
	if env := envNames[name]; env != "" {
		if v := getenv(env); v != "" {
			return v
		}
	}
	return file[name]
}
