package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseArgs(t *testing.T) {
	cases := []struct {
		argv     []string
		command  string
		usageErr string
		metrics  string
		token    string
		args     []string
	}{
		{[]string{"--no-autoupdate", "tunnel", "--metrics", "0.0.0.0:20241", "run", "--token", "X"}, "tunnel run", "", "0.0.0.0:20241", "X", nil},
		{[]string{"tunnel", "--metrics=127.0.0.1:2000", "run", "my-tunnel"}, "tunnel run", "", "127.0.0.1:2000", "", []string{"my-tunnel"}},
		{[]string{"tunnel", "run", "--token", "X", "--metrics", "0.0.0.0:20241"}, "", "flag provided but not defined: -metrics", "", "", nil},
		{[]string{"tunnel", "run", "--loglevel", "debug"}, "", "flag provided but not defined: -loglevel", "", "", nil},
		{[]string{"tunnel", "run", "--protocol", "http2", "--url", "http://web:80"}, "tunnel run", "", "", "", nil},
		{[]string{"version"}, "version", "", "", "", nil},
		{[]string{"tunnel", "--metrics", "127.0.0.1:20241", "ready"}, "tunnel ready", "", "127.0.0.1:20241", "", nil},
		{[]string{"tunnel", "--metrics"}, "", "flag needs an argument: -metrics", "", "", nil},
		{[]string{"tunnel", "--api-key", "K", "--api-ca-key=C", "--session-token", "S", "run", "--secret-id", "I", "--access-key-id=A", "--token", "X"}, "tunnel run", "", "", "X", nil},
		{[]string{"tunnel", "run", "--api-key", "K"}, "", "flag provided but not defined: -api-key", "", "", nil},
	}
	for _, tc := range cases {
		inv := parseArgs(tc.argv)
		if inv.usageErr != tc.usageErr {
			t.Errorf("%v: usage error %q, want %q", tc.argv, inv.usageErr, tc.usageErr)
			continue
		}
		if tc.usageErr != "" {
			continue
		}
		none := func(string) string { return "" }
		if inv.command != tc.command || inv.lookup("metrics", none, nil) != tc.metrics || inv.lookup("token", none, nil) != tc.token {
			t.Errorf("%v: got %+v", tc.argv, inv)
		}
		if strings.Join(inv.args, " ") != strings.Join(tc.args, " ") {
			t.Errorf("%v: args %v, want %v", tc.argv, inv.args, tc.args)
		}
	}
}

func TestLookupPrecedence(t *testing.T) {
	env := map[string]string{"TUNNEL_METRICS": "0.0.0.0:1", "TUNNEL_TRANSPORT_PROTOCOL": "http2"}
	getenv := func(k string) string { return env[k] }
	file := map[string]string{"metrics": "0.0.0.0:2", "protocol": "quic", "loglevel": "debug"}
	inv := parseArgs([]string{"tunnel", "--metrics", "0.0.0.0:3", "run"})
	if got := inv.lookup("metrics", getenv, file); got != "0.0.0.0:3" {
		t.Errorf("metrics = %s, want the command line's", got)
	}
	if got := inv.lookup("protocol", getenv, file); got != "http2" {
		t.Errorf("protocol = %s, want the environment's", got)
	}
	if got := inv.lookup("loglevel", getenv, file); got != "debug" {
		t.Errorf("loglevel = %s, want the file's", got)
	}
}

// The console and JSON shapes of cloudflared's lines (fact sheet §4.1-4.2).
func TestLogFormats(t *testing.T) {
	fields := []kv{{"error", "Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: dial tcp 127.0.0.1:1: connect: connection refused"},
		{"connIndex", 0}, {"event", 1}, {"ingressRule", 0}, {"originService", "http://localhost:1"}}
	console := formatConsole("2026-11-22T02:15:44Z", "error", "", fields)
	want := `2026-11-22T02:15:44Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: dial tcp 127.0.0.1:1: connect: connection refused" connIndex=0 event=1 ingressRule=0 originService=http://localhost:1` + "\n"
	if console != want {
		t.Errorf("console:\n%s\nwant:\n%s", console, want)
	}
	js := formatJSON("2026-11-22T02:15:44Z", "info", "Registered tunnel connection", []kv{{"protocol", "quic"}, {"connIndex", 1}})
	wantJS := `{"connIndex":1,"level":"info","message":"Registered tunnel connection","protocol":"quic","time":"2026-11-22T02:15:44Z"}` + "\n"
	if js != wantJS {
		t.Errorf("json:\n%s\nwant:\n%s", js, wantJS)
	}
}

func TestUsageErrorExitsZeroOnStdout(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"tunnel", "run", "--metrics", "0.0.0.0:20241"}, func(string) string { return "" }, &out, &errOut)
	if code != 0 || !strings.HasPrefix(out.String(), "Incorrect Usage: flag provided but not defined: -metrics\n") {
		t.Errorf("code %d, stdout %q", code, out.String())
	}
}

func TestBadTokenExits255(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"tunnel", "run", "--token", "bm9wZQ=="}, func(string) string { return "" }, &out, &errOut)
	if code != 255 || !strings.HasPrefix(errOut.String(), "Provided Tunnel token is not valid.\n") {
		t.Errorf("code %d, stderr %q", code, errOut.String())
	}
}

func TestConfigJSONShape(t *testing.T) {
	c, v, hasVersion, err := parseRemote(`{"version":3,"config":{"ingress":[{"hostname":"a.example.com","path":"^/api","service":"http://a:1","originRequest":{"connectTimeout":5}},{"service":"http_status:404"}]}}`)
	if err != nil || v != 3 || !hasVersion {
		t.Fatalf("parseRemote: %v %d %v", err, v, hasVersion)
	}
	out := configJSON(c, v)
	r := out.Config.Ingress[0]
	if r.Path == nil || *r.Path != "^/api" || r.OriginRequest.ConnectTimeout != 5 || r.OriginRequest.TLSTimeout != 10 {
		t.Errorf("rule = %+v", r)
	}
	if out.Config.Ingress[1].Path != nil {
		t.Error(`a rule without path must marshal "path": null`)
	}
}
