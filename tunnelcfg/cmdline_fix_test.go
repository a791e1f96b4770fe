package tunnelcfg

import (
	"strings"
	"testing"
)

func TestFixCommandLine(t *testing.T) {
	tests := []struct {
		name  string
		argv  string
		extra []string
		want  string
	}{
		{"flags after run move before it, with their values",
			"cloudflared tunnel run --token X --metrics 0.0.0.0:20241 --loglevel=debug", nil,
			"cloudflared tunnel --metrics 0.0.0.0:20241 --loglevel=debug run --token X"},
		// The line that once came out as `tunnel --http2-origin --token
		// --metrics 0.0.0.0:2000 run XYZ`: --http2-origin takes no value,
		// --token does.
		{"a boolean flag before a flag with a value",
			"cloudflared tunnel run --http2-origin --token XYZ --metrics 0.0.0.0:2000", nil,
			"cloudflared tunnel --metrics 0.0.0.0:2000 run --http2-origin --token XYZ"},
		{"extra flags go before run",
			"cloudflared --no-autoupdate tunnel run --protocol quic mytunnel", []string{"--metrics", "0.0.0.0:20241"},
			"cloudflared --no-autoupdate tunnel --metrics 0.0.0.0:20241 run --protocol quic mytunnel"},
		{"an extra flag already set is not added",
			"cloudflared tunnel --metrics 0.0.0.0:9000 run", []string{"--metrics", "0.0.0.0:20241"},
			"cloudflared tunnel --metrics 0.0.0.0:9000 run"},
		{"an extra flag set after run is moved, not added",
			"cloudflared tunnel run -metrics=127.0.0.1:2000 -p http2", []string{"--metrics", "0.0.0.0:20241"},
			"cloudflared tunnel -metrics=127.0.0.1:2000 run -p http2"},
		{"flags after the tunnel name come before it",
			"cloudflared tunnel run my-tunnel --credentials-file /etc/c.json --loglevel debug", nil,
			"cloudflared tunnel --loglevel debug run --credentials-file /etc/c.json my-tunnel"},
		{"run's own flags before run move after it",
			"cloudflared tunnel --token=XYZ --no-autoupdate run", nil,
			"cloudflared tunnel --no-autoupdate run --token=XYZ"},
		{"an init before the binary is kept",
			"/sbin/tini -- /usr/local/bin/cloudflared tunnel run --post-quantum --edge-ip-version 4 --cred-file /c.json", nil,
			"/sbin/tini -- /usr/local/bin/cloudflared tunnel --edge-ip-version 4 run --post-quantum --cred-file /c.json"},
		{"unknown flags stay where they were",
			"cloudflared tunnel run --metrix 0.0.0.0:1 --loglevel info", nil,
			"cloudflared tunnel --loglevel info run --metrix 0.0.0.0:1"},
		{"a value that looks like a run", "cloudflared tunnel --label run run --token X", nil,
			"cloudflared tunnel --label run run --token X"},
		{"no run", "cloudflared tunnel --metrics 0.0.0.0:2000", nil, ""},
		{"another command", "cloudflared version", nil, ""},
		{"run not under tunnel", "cloudflared access run", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(FixCommandLine(strings.Fields(tt.argv), tt.extra...), " ")
			if got != tt.want {
				t.Errorf("FixCommandLine(%s)\n got %q\nwant %q", tt.argv, got, tt.want)
			}
		})
	}
}

// TestFixCommandLineAccepted proves the corrected line by cloudflared's
// grammar as ParseCommandLine reads it: no flag in the wrong place, none
// left without its value, and every value still beside its flag.
func TestFixCommandLineAccepted(t *testing.T) {
	tok := goodToken(t)
	argv := []string{"cloudflared", "tunnel", "run", "--http2-origin", "--token", tok, "--metrics", "0.0.0.0:2000",
		"--no-autoupdate", "--protocol", "http2", "--loglevel", "debug", "my-tunnel", "--edge-ip-version", "6"}
	broken := ParseCommandLine(nil, argv, nil)
	if !hasKind(broken.Problems, KindFlagMisplaced) || !hasKind(broken.Problems, KindRunExtraArgs) {
		t.Fatalf("the original line should be refused: %+v", broken.Problems)
	}
	fixed := FixCommandLine(argv)
	s := ParseCommandLine(nil, fixed, nil)
	if len(s.Problems) != 0 {
		t.Fatalf("cloudflared would refuse %q: %+v", fixed, s.Problems)
	}
	want := map[string]string{"http2-origin": "true", "metrics": "0.0.0.0:2000", "no-autoupdate": "true",
		"protocol": "http2", "loglevel": "debug", "edge-ip-version": "6", "token": Redacted}
	for name, v := range want {
		if got := s.Flags[name].Value; got != v {
			t.Errorf("--%s = %q, want %q (line %q)", name, got, v, fixed)
		}
	}
	if len(s.Flags) != len(want) || s.RunTarget != "my-tunnel" || s.Token == nil || s.Token.TunnelID != testTunnelID {
		t.Errorf("flags %v, run target %q, token %+v", s.Flags, s.RunTarget, s.Token)
	}
	// What users see is the redacted line: the marker keeps the token's place.
	shown := FixCommandLine(ParseCommandLine(nil, argv, nil).Args)
	if got := strings.Join(shown, " "); !strings.Contains(got, " run --http2-origin --token="+Redacted+" ") || strings.Contains(got, tok) {
		t.Errorf("redacted line %q", got)
	}
}

func TestIsSecretFlag(t *testing.T) {
	for name, want := range map[string]bool{"token": true, "credentials-contents": true, "api-key": true, "secret-id": true,
		"token-file": false, "metrics": false, "credentials-file": false, "nosuchflag": false} {
		if got := IsSecretFlag(name); got != want {
			t.Errorf("IsSecretFlag(%q) = %v", name, got)
		}
	}
}
