package main

import (
	"flag"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

func bindProbeFlags(fs *flag.FlagSet, o *agent.Options) {
	_, _ = fs, o
}
