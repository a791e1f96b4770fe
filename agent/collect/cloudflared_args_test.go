package collect

import (
	"reflect"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

func TestRedactArgs(t *testing.T) {
	in := []string{"cloudflared", "tunnel", "--metrics", "0.0.0.0:20241", "--api-key", "k3yk3yk3y", "run", "--token", "abcdefghijklmnop", "--credentials-contents={\"a\":1}", "--session-token=s3ss", "my-tunnel"}
	want := []string{"cloudflared", "tunnel", "--metrics", "0.0.0.0:20241", "--api-key", "[REDACTED]", "run", "--token", "[REDACTED]", "--credentials-contents=[REDACTED]", "--session-token=[REDACTED]", "my-tunnel"}
	r := runRedactor(Options{})
	if got := r.Args(in); !reflect.DeepEqual(got, want) {
		t.Errorf("Args = %q, want %q", got, want)
	}
	if in[8] != "abcdefghijklmnop" {
		t.Error("Args changed its input")
	}
	// The values are learnt too: the same token quoted elsewhere goes.
	r.AddArgs(in)
	if got := r.String("retrying with k3yk3yk3y and abcdefghijklmnop"); got != "retrying with [REDACTED] and [REDACTED]" {
		t.Errorf("learnt secrets not redacted: %q", got)
	}
}

func TestCloudflaredView(t *testing.T) {
	argv := []string{"cloudflared", "tunnel", "--metrics=0.0.0.0:9000", "--config", "/etc/cf.yml", "run", "--protocol", "http2", "--url", "http://web"}
	v := cloudflaredView(nil, argv)
	if v != (cloudflaredArgs{metrics: "0.0.0.0:9000", protocol: "http2", configPath: "/etc/cf.yml", url: "http://web"}) {
		t.Errorf("view = %+v", v)
	}
	st := &tunnelcfg.Settings{Metrics: "0.0.0.0:20241", Protocol: "quic"}
	if v := cloudflaredView(st, argv); v.metrics != "0.0.0.0:20241" || v.protocol != "quic" {
		t.Errorf("settings must win (they include the environment): %+v", v)
	}
}
