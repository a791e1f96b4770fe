package main

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent/collect"
)

func TestMetricsFlagOffSkipsCloudflared(t *testing.T) {
	for _, tc := range []struct {
		args          []string
		wantMetrics   string
		wantDisabled  bool
		wantFlagValue string
	}{
		{nil, "", false, ""},
		{[]string{"--metrics", "127.0.0.1:20241"}, "127.0.0.1:20241", false, "127.0.0.1:20241"},
		{[]string{"--metrics", "off"}, "", true, "off"},
		{[]string{"--metrics", "OFF"}, "", true, "off"},
		{[]string{"--metrics", "off", "--metrics", "10.0.0.1:2000"}, "10.0.0.1:2000", false, "10.0.0.1:2000"},
	} {
		var o collect.Options
		fs := flag.NewFlagSet("check", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		bindCloudflaredFlags(fs, &o)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if o.Cloudflared.Metrics != tc.wantMetrics || (o.Cloudflared.Disabled != "") != tc.wantDisabled {
			t.Errorf("%v: metrics %q disabled %q", tc.args, o.Cloudflared.Metrics, o.Cloudflared.Disabled)
		}
		if tc.wantDisabled && !strings.Contains(o.Cloudflared.Disabled, "--metrics off") {
			t.Errorf("%v: the skip reason %q does not say how it was switched off", tc.args, o.Cloudflared.Disabled)
		}
		if got := fs.Lookup("metrics").Value.String(); got != tc.wantFlagValue {
			t.Errorf("%v: flag value %q, want %q", tc.args, got, tc.wantFlagValue)
		}
	}
}
