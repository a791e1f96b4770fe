package main

import (
	"flag"

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
