package main

import (
	"flag"
	"strconv"

	"github.com/tunneldoctor/tunneldoctor/agent/collect"
)

func bindCloudflaredFlags(fs *flag.FlagSet, o *collect.Options) {
	fs.StringVar(&o.Cloudflared.Metrics, "metrics", envOr("TUNNELDOCTOR_METRICS", ""),
		"cloudflared's metrics server HOST:PORT; without Docker (cloudflared installed on a host) this is how tunneldoctor asks it (env TUNNELDOCTOR_METRICS)")
	lines, _ := strconv.Atoi(envOr("TUNNELDOCTOR_CLOUDFLARED_LOG_LINES", "0"))
	fs.IntVar(&o.Cloudflared.LogLines, "cloudflared-log-lines", lines,
		"how many of cloudflared's last log lines to read for causes and origin errors; 0 means 300, -1 none (env TUNNELDOCTOR_CLOUDFLARED_LOG_LINES)")
}
