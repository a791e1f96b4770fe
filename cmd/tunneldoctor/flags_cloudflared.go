package main

import (
	"flag"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent/collect"
)

func bindCloudflaredFlags(fs *flag.FlagSet, o *collect.Options) {
	fs.Var(&metricsFlag{o: o}, "metrics",
		"cloudflared's metrics server HOST:PORT; without a cloudflared container (cloudflared installed on a host) this is how tunneldoctor asks it; \"off\": do not ask any (env TUNNELDOCTOR_METRICS)")
	intFlag(fs, &o.Cloudflared.LogLines, "cloudflared-log-lines", 0,
		"how many of cloudflared's last log lines to read for causes and origin errors; 0 means 300, -1 none (env TUNNELDOCTOR_CLOUDFLARED_LOG_LINES)")
}

// metricsFlag is --metrics: an address, or "off" to ask no metrics server
// (not even one answering on this host's default ports).
type metricsFlag struct{ o *collect.Options }

func (m *metricsFlag) String() string {
	if m == nil || m.o == nil {
		return ""
	}
	if m.o.Cloudflared.Disabled != "" {
		return "off"
	}
	return m.o.Cloudflared.Metrics
}

func (m *metricsFlag) Set(v string) error {
	c := &m.o.Cloudflared
	switch v = strings.TrimSpace(v); strings.ToLower(v) {
	case "off", "none":
		c.Metrics, c.Disabled = "", "cloudflared's metrics server not asked (--metrics off)"
	default:
		c.Metrics, c.Disabled = v, ""
	}
	return nil
}
