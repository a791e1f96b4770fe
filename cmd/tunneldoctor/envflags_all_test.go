package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

// flagsInHelp are the flags `cmd --help` lists, each with its help text.
func flagsInHelp(t *testing.T, cmd string) map[string]string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := dispatch(context.Background(), stdio{out: &out, err: &errb}, "tunneldoctor", commands(), []string{cmd, "--help"}); code != 0 {
		t.Fatalf("%s --help: exit %d %s", cmd, code, errb.String())
	}
	flags := map[string]string{}
	var cur string
	for _, l := range strings.Split(out.String(), "\n") {
		if m := regexp.MustCompile(`^  -([a-z0-9.-]+)`).FindStringSubmatch(l); m != nil {
			cur = m[1]
			flags[cur] = l
		} else if cur != "" && strings.HasPrefix(l, "    ") {
			flags[cur] += " " + strings.TrimSpace(l)
		}
	}
	if len(flags) < 10 {
		t.Fatalf("%s --help lists %d flags:\n%s", cmd, len(flags), out.String())
	}
	return flags
}

// TestEveryBadEnvValueNamesTheVariable: for every flag of check and watch,
// a bad value in its TUNNELDOCTOR_* variable stops the command (exit 3,
// nothing on stdout) with an error naming the variable, the value and the
// reason; and every flag's help names its variable. Flags that take any
// string (a path, a name, an address to try) have no bad value.
func TestEveryBadEnvValueNamesTheVariable(t *testing.T) {
	// value -> a word of the reason the error must give
	bad := map[string][2]string{
		"output": {"yaml", "want text or json"}, "fail-on": {"info", "want warn or error"},
		"color": {"sometimes", "want auto, always or never"}, "log-level": {"loud", "want debug, info"},
		"support": {"maybe", "not a boolean"}, "verbose": {"maybe", "not a boolean"},
		"timeout": {"abc", `invalid duration "abc"`}, "api-timeout": {"abc", `invalid duration "abc"`},
		"no-public-probe": {"maybe", "not a boolean"}, "public-probe": {"sometimes", "want auto, on or off"},
		"no-status-page": {"yes", "not a boolean"}, "no-probe": {"maybe", "want true or false"},
		"probe-anywhere": {"sure", "not a boolean"}, "probe-timeout": {"soon", "not a positive duration"},
		"probe-concurrency": {"0", "not a number from 1 to 256"}, "cloudflared-log-lines": {"many", "not a whole number"},
		"account-id": {"example.com", "want 32 hex digits"}, "tunnel-id": {"../zones", "want the tunnel's UUID"},
		"api-url": {"api.cloudflare.com", "want an http(s) URL"}, "status-page-url": {"ftp://x", "want an http(s) URL"},
		"interval": {"abc", `invalid duration "abc"`}, "debounce": {"-1s", "too short"},
		"probe-budget": {"never", `invalid duration "never"`}, "listen": {"nonsense", "want HOST:PORT"},
		"log-format": {"xml", "want json or console"}, "no-events": {"maybe", "not a boolean"},
		"refresh": {"often", "not a whole number"},
	}
	anyValue := map[string]bool{"config": true, "cloudflared": true, "metrics": true, "docker-host": true, "zone": true, "web.config.file": true}
	for _, cmd := range []string{"check", "watch"} {
		for name, help := range flagsInHelp(t, cmd) {
			env := envName(name)
			if !strings.Contains(help, env) {
				t.Errorf("%s --help: --%s does not name %s: %q", cmd, name, env, help)
			}
			if anyValue[name] {
				continue
			}
			tc, ok := bad[name]
			if !ok {
				t.Errorf("%s --%s: no bad value in this table", cmd, name)
				continue
			}
			t.Run(cmd+"/"+name, func(t *testing.T) {
				t.Setenv(env, tc[0])
				var out, errb bytes.Buffer
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				code := dispatch(ctx, stdio{out: &out, err: &errb}, "tunneldoctor", commands(), []string{cmd, "--docker-host", "off"})
				want := "environment variable " + env + `="` + tc[0] + `" (as --` + name + "): "
				if code != exitUsage || !strings.Contains(errb.String(), want) || !strings.Contains(errb.String(), tc[1]) {
					t.Fatalf("exit %d, stderr %q: want %d, %q and %q", code, errb.String(), exitUsage, want, tc[1])
				}
				if strings.Contains(errb.String(), "parse error") {
					t.Errorf("no reason given: %q", errb.String())
				}
				if out.Len() != 0 {
					t.Errorf("ran anyway: %q", out.String())
				}
			})
		}
	}
}
