package main

import (
	"flag"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

func bindCloudflaredFlags(fs *flag.FlagSet, o *agent.Options) {
	_, _ = fs, o
}
