package main

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

func parseProbeFlags(t *testing.T, args ...string) (collect.ProbeOptions, error) {
	t.Helper()
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o collect.Options
	bindProbeFlags(fs, &o)
	if err := fs.Parse(args); err != nil {
		return o.Probes, err
	}
	return o.Probes, applyEnv(fs, lookupEnv)
}

func TestProbeFlags(t *testing.T) {
	p, err := parseProbeFlags(t)
	if err != nil || p.Disabled != "" || p.MaxTime != probe.DefaultMaxTime || p.Concurrency != probe.DefaultConcurrency {
		t.Fatalf("defaults: %+v %v", p, err)
	}
	p, err = parseProbeFlags(t, "--no-probe", "--probe-timeout", "5s", "--probe-concurrency", "4")
	if err != nil || !strings.Contains(p.Disabled, "--no-probe") || p.MaxTime != 5*time.Second || p.Concurrency != 4 {
		t.Fatalf("flags: %+v %v", p, err)
	}
	for _, bad := range [][]string{{"--probe-timeout", "soon"}, {"--probe-timeout", "-1s"}, {"--probe-concurrency", "0"}, {"--no-probe=maybe"}} {
		if _, err := parseProbeFlags(t, bad...); err == nil {
			t.Errorf("%v: want an error", bad)
		}
	}
}

func TestProbeFlagsFromEnvironment(t *testing.T) {
	t.Setenv("TUNNELDOCTOR_PROBE_TIMEOUT", "7s")
	t.Setenv("TUNNELDOCTOR_PROBE_CONCURRENCY", "2")
	t.Setenv("TUNNELDOCTOR_NO_PROBE", "true")
	p, _ := parseProbeFlags(t)
	if p.MaxTime != 7*time.Second || p.Concurrency != 2 || !strings.Contains(p.Disabled, "TUNNELDOCTOR_NO_PROBE") {
		t.Fatalf("env: %+v", p)
	}
	if p, _ := parseProbeFlags(t, "--no-probe=false", "--probe-timeout", "3s"); p.Disabled != "" || p.MaxTime != 3*time.Second {
		t.Fatalf("flags override env: %+v", p)
	}
}

func TestBadProbeEnvironmentFails(t *testing.T) {
	t.Setenv("TUNNELDOCTOR_PROBE_TIMEOUT", "twenty")
	if _, err := parseProbeFlags(t); err == nil || !strings.Contains(err.Error(), `TUNNELDOCTOR_PROBE_TIMEOUT="twenty"`) {
		t.Fatalf("bad env must fail naming the variable: %v", err)
	}
	if p, err := parseProbeFlags(t, "--probe-timeout", "4s"); err != nil || p.MaxTime != 4*time.Second {
		t.Fatalf("the command line wins over the environment: %+v %v", p, err)
	}
}
