package main

import (
	"flag"

	"github.com/tunneldoctor/tunneldoctor/agent/collect"
)

func bindIngressFlags(fs *flag.FlagSet, o *collect.Options) {
	fs.StringVar(&o.Ingress.ConfigPath, "config", "",
		"cloudflared config file to read; wins over the one found from cloudflared's command line (env TUNNELDOCTOR_CONFIG)")
}
