package tunnelcfg

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseCommandLineDockerForms(t *testing.T) {
	entry := []string{"cloudflared", "--no-autoupdate"} // the image's ENTRYPOINT
	tok := goodToken(t)
	s := ParseCommandLine(entry, []string{"tunnel", "--metrics", "0.0.0.0:2000", "--loglevel=debug", "--config", "/etc/cloudflared/config.yml", "run", "--protocol", "http2", "my-tunnel"}, []string{"PATH=/bin", "TUNNEL_TOKEN=" + tok, "TUNNEL_LOGLEVEL=warn", "TUNNEL_LOG_OUTPUT=json"})
	if len(s.Problems) != 0 {
		t.Fatalf("problems: %+v", s.Problems)
	}
	if s.Subcommand != "tunnel run" || s.RunTarget != "my-tunnel" || s.Binary != "cloudflared" {
		t.Errorf("subcommand %q target %q binary %q", s.Subcommand, s.RunTarget, s.Binary)
	}
	if s.Metrics != "0.0.0.0:2000" || s.ConfigPath != "/etc/cloudflared/config.yml" || s.Protocol != "http2" || s.Output != "json" {
		t.Errorf("%+v", s)
	}
	if s.LogLevel != "debug" || s.Flags["loglevel"].Source != SourceCLI {
		t.Errorf("CLI beats env: %+v", s.Flags["loglevel"])
	}
	if s.Token == nil || s.Token.TunnelID != testTunnelID || s.Flags["token"].Source != SourceEnv || s.Flags["token"].Env != "TUNNEL_TOKEN" || s.Flags["token"].Value != Redacted {
		t.Errorf("token from env: %+v %+v", s.Token, s.Flags["token"])
	}
	if _, ok := s.Flags["no-autoupdate"]; !ok {
		t.Error("root flag from the entrypoint")
	}
}

func TestParseCommandLineMisplacedFlags(t *testing.T) {
	tests := []struct {
		name  string
		cmd   []string
		kind  Kind
		field string
		text  string
	}{
		{"metrics after run", []string{"cloudflared", "tunnel", "run", "--metrics", "0.0.0.0:2000"}, KindFlagMisplaced, "--metrics", "Incorrect Usage: flag provided but not defined: -metrics"},
		{"config after run", []string{"cloudflared", "tunnel", "run", "-config=/x.yml"}, KindFlagMisplaced, "--config", "flag provided but not defined: -config"},
		{"token before run", []string{"cloudflared", "tunnel", "--token", "abc", "run"}, KindFlagMisplaced, "--token", "belongs to `cloudflared tunnel run`"},
		{"flags after the tunnel name", []string{"cloudflared", "tunnel", "run", "my-tunnel", "--token", "abc"}, KindRunExtraArgs, "run", `accepts only one argument`},
		{"bad int", []string{"cloudflared", "tunnel", "--retries", "many", "run"}, KindFlagValueInvalid, "--retries", `invalid value "many" for flag -retries`},
		{"bad bool", []string{"cloudflared", "tunnel", "--no-tls-verify=yes", "run"}, KindFlagValueInvalid, "--no-tls-verify", "invalid value"},
		{"missing value", []string{"cloudflared", "tunnel", "run", "--token"}, KindFlagValueInvalid, "--token", "flag needs an argument: -token"},
		{"unknown flag", []string{"cloudflared", "tunnel", "--metrix", "x", "run"}, KindFlagUnknown, "--metrix", "does not know"},
		{"bad token", []string{"cloudflared", "tunnel", "run", "--token", "eyJhIjoiYWJjIn0"}, KindTokenInvalid, "--token", "Provided Tunnel token is not valid."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ParseCommandLine(nil, tt.cmd, nil)
			p, ok := find(s.Problems, tt.kind)
			if !ok {
				t.Fatalf("no %s in %+v", tt.kind, s.Problems)
			}
			if p.Field != tt.field || !strings.Contains(p.Message, tt.text) || p.Fix == "" && tt.kind != KindFlagUnknown {
				t.Errorf("%+v", p)
			}
			if p.Fatal != (tt.kind != KindFlagUnknown) {
				t.Errorf("fatal = %v", p.Fatal)
			}
			if strings.Contains(fmt.Sprintf("%+v %s", s, s), "abc") && tt.field == "--token" {
				t.Errorf("token value shown: %s", s)
			}
		})
	}
}

func TestParseCommandLineEnv(t *testing.T) {
	s := ParseCommandLine([]string{"cloudflared"}, []string{"tunnel", "run"}, []string{
		"NO_TLS_VERIFY=true", "TUNNEL_METRICS=0.0.0.0:20241", "TUNNEL_MANAGEMENT_OUTPUT=default", "TUNNEL_LOG_OUTPUT=json",
		"TUNNEL_TRANSPORT_PROTOCOL=quic", "TUNNEL_CRED_FILE=/creds.json", "TUNNEL_URL=http://web:80", "TUNNEL_HELLO_WORLD=",
	})
	if !s.NoTLSVerify || s.Metrics != "0.0.0.0:20241" || s.Protocol != "quic" || s.CredentialsFile != "/creds.json" || s.URL != "http://web:80" {
		t.Errorf("%+v", s)
	}
	if s.Output != "default" {
		t.Errorf("the first env var of a flag wins: output %q", s.Output)
	}
	if s.HelloWorld {
		t.Error("an empty bool env var is false")
	}
	bad := ParseCommandLine(nil, []string{"cloudflared", "tunnel", "run"}, []string{"NO_TLS_VERIFY=yes"})
	if p, ok := find(bad.Problems, KindFlagValueInvalid); !ok || p.Field != "NO_TLS_VERIFY" || !p.Fatal {
		t.Errorf("bad env bool: %+v", bad.Problems)
	}
	// TUNNEL_TOKEN belongs to `run`: without it cloudflared never reads it.
	noRun := ParseCommandLine(nil, []string{"cloudflared", "tunnel"}, []string{"TUNNEL_TOKEN=" + goodToken(t)})
	if noRun.Token != nil {
		t.Error("TUNNEL_TOKEN without run")
	}
}

func TestParseCommandLineShapes(t *testing.T) {
	sh := ParseCommandLine([]string{"/bin/sh", "-c"}, []string{"exec cloudflared tunnel --metrics 0.0.0.0:2000 run"}, nil)
	if sh.Metrics != "0.0.0.0:2000" || sh.Subcommand != "tunnel run" {
		t.Errorf("sh -c: %+v", sh)
	}
	cmdOnly := ParseCommandLine(nil, []string{"tunnel", "--no-autoupdate", "run", "--token", goodToken(t)}, nil)
	if cmdOnly.Subcommand != "tunnel run" || cmdOnly.Token == nil {
		t.Errorf("cmd only: %+v", cmdOnly)
	}
	tini := ParseCommandLine([]string{"/sbin/tini", "--", "/usr/local/bin/cloudflared"}, []string{"tunnel", "--hello-world"}, nil)
	if !tini.HelloWorld || tini.Subcommand != "tunnel" {
		t.Errorf("tini: %+v", tini)
	}
	empty := ParseCommandLine(nil, nil, nil)
	if empty.Binary != "" || len(empty.Problems) != 0 {
		t.Errorf("empty: %+v", empty)
	}
	redacted := ParseCommandLine(nil, []string{"cloudflared", "tunnel", "run", "--token=" + goodToken(t), "--credentials-contents", "{secret}"}, nil)
	if got := strings.Join(redacted.Args, " "); got != "cloudflared tunnel run --token=[REDACTED] --credentials-contents=[REDACTED]" {
		t.Errorf("redacted args: %q", got)
	}
}

func TestSettingsApplyFile(t *testing.T) {
	c, _ := Parse([]byte("metrics: 0.0.0.0:3333\nloglevel: info\nprotocol: http2\ningress:\n  - service: http://a:1\n"), "x.yml")
	s := ParseCommandLine(nil, []string{"cloudflared", "tunnel", "--loglevel", "debug", "run"}, []string{"TUNNEL_TRANSPORT_PROTOCOL=quic"})
	s.ApplyFile(c)
	if s.Metrics != "0.0.0.0:3333" || s.Flags["metrics"].Source != SourceFile || s.Flags["metrics"].Line != 1 {
		t.Errorf("file fills the gap: %+v", s.Flags["metrics"])
	}
	if s.LogLevel != "debug" || s.Protocol != "quic" {
		t.Errorf("CLI > env > file: loglevel %q protocol %q", s.LogLevel, s.Protocol)
	}
}

func TestDefaultConfigSearchPaths(t *testing.T) {
	got := DefaultConfigSearchPaths("/home/nonroot")
	want := []string{
		"/home/nonroot/.cloudflared/config.yml", "/home/nonroot/.cloudflared/config.yaml",
		"/home/nonroot/.cloudflare-warp/config.yml", "/home/nonroot/.cloudflare-warp/config.yaml",
		"/home/nonroot/cloudflare-warp/config.yml", "/home/nonroot/cloudflare-warp/config.yaml",
		"/etc/cloudflared/config.yml", "/etc/cloudflared/config.yaml",
		"/usr/local/etc/cloudflared/config.yml", "/usr/local/etc/cloudflared/config.yaml",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v", got)
	}
	if len(DefaultConfigSearchPaths("")) != 4 {
		t.Error("without a home only the system directories remain")
	}
}
