package main

import (
	"flag"
	"os"

	"github.com/tunneldoctor/tunneldoctor/agent/collect"
)

// bindCollectFlags registers the flags every collecting command (check,
// watch) shares. Each fact source binds its own flags in flags_<source>.go.
func bindCollectFlags(fs *flag.FlagSet, o *collect.Options) {
	bindIngressFlags(fs, o)
	bindDockerFlags(fs, o)
	bindCloudflaredFlags(fs, o)
	bindProbeFlags(fs, o)
	bindEdgeFlags(fs, o)
}

// envOr returns the environment variable's value, or def when it is unset.
// Flags default to TUNNELDOCTOR_* variables so a compose file can configure
// the sidecar without a command line.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}
