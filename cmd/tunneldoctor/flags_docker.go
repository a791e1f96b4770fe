package main

import (
	"flag"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

func bindDockerFlags(fs *flag.FlagSet, o *agent.Options) {
	_, _ = fs, o
}
