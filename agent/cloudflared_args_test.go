package agent

import (
	"reflect"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

func TestRedactArgs(t *testing.T) {
	in := []string{"cloudflared", "tunnel", "--metrics", "0.0.0.0:20241", "--api-key", "k3y", "-api-ca-key=ca", "run", "--token", "abcdefghijklmnop", "--credentials-contents={\"a\":1}", "my-tunnel"}
	want := []string{"cloudflared", "tunnel", "--metrics", "0.0.0.0:20241", "--api-key", "[REDACTED]", "-api-ca-key=[REDACTED]", "run", "--token", "[REDACTED]", "--credentials-contents=[REDACTED]", "my-tunnel"}
	if got := redactArgs(in); !reflect.DeepEqual(got, want) {
		t.Errorf("redactArgs = %q, want %q", got, want)
	}
	if in[9] != "abcdefghijklmnop" {
		t.Error("redactArgs changed its input")
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
