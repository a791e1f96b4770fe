package main

import (
	"flag"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent/collect"
)

func bindCloudflaredFlags(fs *flag.FlagSet, o *collect.Options) {
	metrics := &metricsAddr{o: &o.Cloudflared}
	_ = metrics.Set(envOr("TUNNELDOCTOR_METRICS", ""))
	fs.Var(metrics, "metrics",
		"cloudflared's metrics server HOST:PORT; without Docker (cloudflared installed on a host) this is how tunneldoctor asks it, and without it 127.0.0.1:20241-20245 are tried; \"off\" asks no metrics server and reads no cloudflared logs (env TUNNELDOCTOR_METRICS)")
	lines, _ := strconv.Atoi(envOr("TUNNELDOCTOR_CLOUDFLARED_LOG_LINES", "0"))
	fs.IntVar(&o.Cloudflared.LogLines, "cloudflared-log-lines", lines,
		"how many of cloudflared's last log lines to read for causes and origin errors; 0 means 300, -1 none (env TUNNELDOCTOR_CLOUDFLARED_LOG_LINES)")
}

// metricsAddr is --metrics: an address, or "off" when cloudflared is not to
// be asked (its checks are then skipped with that reason).
type metricsAddr struct{ o *collect.CloudflaredOptions }

func (m *metricsAddr) String() string {
	if m == nil || m.o == nil {
		return ""
	}
	if m.o.Disabled != "" {
		return "off"
	}
	return m.o.Metrics
}

func (m *metricsAddr) Set(v string) error {
	v = strings.TrimSpace(v)
	if strings.EqualFold(v, "off") {
		m.o.Metrics, m.o.Disabled = "", "cloudflared is not asked (--metrics off)"
		return nil
	}
	m.o.Metrics, m.o.Disabled = v, ""
	return nil
}
