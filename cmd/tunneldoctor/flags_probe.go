package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// bindProbeFlags binds --no-probe, --probe-timeout and --probe-concurrency.
// A bad TUNNELDOCTOR_* value cannot fail flag parsing, so it disables the
// probes with a reason that names the variable (shown as the Gap of every
// probe check); a valid flag on the command line overrides it.
func bindProbeFlags(fs *flag.FlagSet, o *collect.Options) {
	p := &o.Probes
	p.MaxTime, p.Concurrency = probe.DefaultMaxTime, probe.DefaultConcurrency
	var envProblem string
	const byEnv = "origin probes disabled by TUNNELDOCTOR_NO_PROBE"
	noProbe := func(s string) error {
		v, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", s)
		}
		switch {
		case v:
			p.Disabled = "origin probes disabled by --no-probe"
		case p.Disabled == byEnv || p.Disabled == envProblem:
			p.Disabled = "" // --no-probe=false overrides the environment
		}
		return nil
	}
	if raw, ok := os.LookupEnv("TUNNELDOCTOR_NO_PROBE"); ok {
		if v, err := strconv.ParseBool(raw); err != nil {
			envProblem = fmt.Sprintf("TUNNELDOCTOR_NO_PROBE=%q is not true or false; origin probes not run", raw)
		} else if v {
			p.Disabled = byEnv
		}
	}
	if raw, ok := os.LookupEnv("TUNNELDOCTOR_PROBE_TIMEOUT"); ok {
		if d, err := parseProbeTimeout(raw); err != nil {
			envProblem = "TUNNELDOCTOR_PROBE_TIMEOUT: " + err.Error() + "; origin probes not run"
		} else {
			p.MaxTime = d
		}
	}
	if raw, ok := os.LookupEnv("TUNNELDOCTOR_PROBE_CONCURRENCY"); ok {
		if n, err := parseConcurrency(raw); err != nil {
			envProblem = "TUNNELDOCTOR_PROBE_CONCURRENCY: " + err.Error() + "; origin probes not run"
		} else {
			p.Concurrency = n
		}
	}
	if envProblem != "" && p.Disabled == "" {
		p.Disabled = envProblem
	}
	clearEnvProblem := func() {
		if envProblem != "" && p.Disabled == envProblem {
			p.Disabled = ""
		}
	}
	fs.BoolVar(&p.Anywhere, "probe-anywhere", envOr("TUNNELDOCTOR_PROBE_ANYWHERE", "") == "true",
		"probe origins even when cloudflared was not found (from this machine's own network; env TUNNELDOCTOR_PROBE_ANYWHERE=true)")
	fs.BoolFunc("no-probe", "do not probe origins (env TUNNELDOCTOR_NO_PROBE)", noProbe)
	fs.Func("probe-timeout", fmt.Sprintf("longest one origin probe may take, body included (default %v; env TUNNELDOCTOR_PROBE_TIMEOUT)", probe.DefaultMaxTime),
		func(s string) error {
			d, err := parseProbeTimeout(s)
			if err == nil {
				p.MaxTime = d
				clearEnvProblem()
			}
			return err
		})
	fs.Func("probe-concurrency", fmt.Sprintf("how many origins are probed at once (default %d; env TUNNELDOCTOR_PROBE_CONCURRENCY)", probe.DefaultConcurrency),
		func(s string) error {
			n, err := parseConcurrency(s)
			if err == nil {
				p.Concurrency = n
				clearEnvProblem()
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
