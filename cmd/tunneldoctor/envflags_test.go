package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/collect"
)

// TestEnvParsesLikeTheFlag: one helper sets every flag from its
// TUNNELDOCTOR_* variable through the flag's own Set, so the environment
// parses exactly as the command line does.
func TestEnvParsesLikeTheFlag(t *testing.T) {
	env := map[string]string{
		"TUNNELDOCTOR_NO_EVENTS":      "false", // used to turn events off (any non-empty value did)
		"TUNNELDOCTOR_PROBE_ANYWHERE": "1",     // used to be ignored (only "true" counted)
		"TUNNELDOCTOR_NO_STATUS_PAGE": "TRUE",
		"TUNNELDOCTOR_PROBE_TIMEOUT":  "7s",
		"TUNNELDOCTOR_METRICS":        "127.0.0.1:20241",
		"TUNNELDOCTOR_ZONE":           "example.com,example.net",
		"TUNNELDOCTOR_DOCKER_HOST":    "off",
		"TUNNELDOCTOR_CLOUDFLARED":    "", // empty is unset
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o collect.Options
	bindCollectFlags(fs, &o)
	noEvents := fs.Bool("no-events", false, "")
	interval := fs.Duration("interval", time.Minute, "")
	if err := fs.Parse([]string{"--interval", "2m"}); err != nil {
		t.Fatal(err)
	}
	env["TUNNELDOCTOR_INTERVAL"] = "not a duration" // the command line set it: never read
	if err := applyEnv(fs, lookup); err != nil {
		t.Fatal(err)
	}
	if *noEvents {
		t.Error("TUNNELDOCTOR_NO_EVENTS=false turned events off")
	}
	if !o.Probes.Anywhere {
		t.Error("TUNNELDOCTOR_PROBE_ANYWHERE=1 ignored")
	}
	if !o.Edge.NoStatusPage || o.Edge.Disabled != "" {
		t.Errorf("TUNNELDOCTOR_NO_STATUS_PAGE=TRUE: no-status-page %v, edge disabled %q", o.Edge.NoStatusPage, o.Edge.Disabled)
	}
	if o.Probes.MaxTime != 7*time.Second || o.Cloudflared.Metrics != "127.0.0.1:20241" ||
		strings.Join(o.Edge.Zones, " ") != "example.com example.net" || o.Docker.Disabled == "" || o.Docker.Cloudflared != "" {
		t.Errorf("options from the environment: %+v", o)
	}
	if *interval != 2*time.Minute {
		t.Errorf("the command line lost to the environment: interval %v", *interval)
	}
}

// TestBadEnvFailsFast: a value the flag would reject stops the command
// before it does anything, with an error naming the variable; it is never
// silently dropped, nor does it switch a whole fact source off.
func TestBadEnvFailsFast(t *testing.T) {
	for _, tc := range []struct{ cmd, name, value string }{
		{"check", "TUNNELDOCTOR_NO_STATUS_PAGE", "yes"},
		{"check", "TUNNELDOCTOR_PROBE_TIMEOUT", "twenty"},
		{"check", "TUNNELDOCTOR_CLOUDFLARED_LOG_LINES", "many"},
		{"check", "TUNNELDOCTOR_ACCOUNT_ID", "example.com"},
		{"watch", "TUNNELDOCTOR_NO_EVENTS", "maybe"},
		{"watch", "TUNNELDOCTOR_PROBE_ANYWHERE", "sure"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(tc.name, tc.value)
			var out, errb bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			code := dispatch(ctx, stdio{out: &out, err: &errb}, "tunneldoctor", commands(), []string{tc.cmd, "--docker-host", "off"})
			if code != exitUsage || !strings.Contains(errb.String(), tc.name+`="`+tc.value+`"`) {
				t.Fatalf("exit %d, stderr %q: want %d and the variable named", code, errb.String(), exitUsage)
			}
			if out.Len() != 0 {
				t.Errorf("ran anyway: %q", out.String())
			}
		})
	}
}

func TestEnvName(t *testing.T) {
	for flagName, want := range map[string]string{
		"no-status-page":  "TUNNELDOCTOR_NO_STATUS_PAGE",
		"web.config.file": "TUNNELDOCTOR_WEB_CONFIG_FILE", // a shell cannot export a name with dots
	} {
		if got := envName(flagName); got != want {
			t.Errorf("envName(%q) = %q, want %q", flagName, got, want)
		}
	}
}
