package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// bindProbeFlags binds --no-probe, --probe-timeout and --probe-concurrency
// (and their TUNNELDOCTOR_* variables, through applyEnv).
func bindProbeFlags(fs *flag.FlagSet, o *collect.Options) {
	p := &o.Probes
	p.MaxTime, p.Concurrency = probe.DefaultMaxTime, probe.DefaultConcurrency
	noProbe := func(s string) error {
		v, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", s)
		}
		p.Disabled = ""
		if v {
			p.Disabled = "origin probes disabled by --no-probe (env TUNNELDOCTOR_NO_PROBE)"
		}
		return nil
	}
	boolFlag(fs, &p.Anywhere, "probe-anywhere", false,
		"probe origins even when cloudflared was not found (from this machine's own network; env TUNNELDOCTOR_PROBE_ANYWHERE)")
	fs.BoolFunc("no-probe", "do not probe origins (env TUNNELDOCTOR_NO_PROBE)", noProbe)
	fs.Func("probe-timeout", fmt.Sprintf("longest one origin probe may take, body included (default %v; env TUNNELDOCTOR_PROBE_TIMEOUT)", probe.DefaultMaxTime),
		func(s string) error {
			d, err := parseProbeTimeout(s)
			if err == nil {
				p.MaxTime = d
			}
			return err
		})
	fs.Func("probe-concurrency", fmt.Sprintf("how many origins are probed at once (default %d; env TUNNELDOCTOR_PROBE_CONCURRENCY)", probe.DefaultConcurrency),
		func(s string) error {
			n, err := parseConcurrency(s)
			if err == nil {
				p.Concurrency = n
			}
			return err
		})
}

func parseProbeTimeout(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration (e.g. 20s)", s)
	}
	return d, nil
}

func parseConcurrency(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 256 {
		return 0, fmt.Errorf("%q is not a number from 1 to 256", s)
	}
	return n, nil
}
