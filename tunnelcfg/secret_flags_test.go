package tunnelcfg

import (
	"strings"
	"testing"
)

// The flag table is the one source of which cloudflared flags are secret:
// every one of them is masked on a parsed command line and by the redactor.
func TestSecretFlagsFromTheTable(t *testing.T) {
	o := SecretFlags()
	for _, want := range []string{"token", "credentials-contents", "api-key", "api-ca-key", "secret-id", "access-key-id", "session-token"} {
		if !strings.Contains(" "+strings.Join(o.Flags, " ")+" ", " "+want+" ") {
			t.Errorf("SecretFlags misses --%s: %v", want, o.Flags)
		}
	}
	for _, want := range []string{"TUNNEL_TOKEN", "TUNNEL_API_KEY", "SESSION_TOKEN_ID", "SECRET_ID"} {
		if !strings.Contains(" "+strings.Join(o.Env, " ")+" ", " "+want+" ") {
			t.Errorf("SecretFlags misses $%s: %v", want, o.Env)
		}
	}
	r := NewRedactor()
	for _, f := range cloudflaredFlags() {
		if !f.secret {
			continue
		}
		for _, line := range []string{"cloudflared tunnel --" + f.name + " planted-value-1 run", "cloudflared tunnel --" + f.name + "=planted-value-1 run"} {
			if got := r.String(line); strings.Contains(got, "planted-value-1") {
				t.Errorf("redactor kept --%s's value: %q", f.name, got)
			}
		}
		s := ParseCommandLine([]string{"cloudflared"}, []string{"tunnel", "--" + f.name, "planted-value-1", "run", "--url", "http://admin:pw-planted@web:80"}, nil)
		if got := strings.Join(s.Args, " "); strings.Contains(got, "planted") {
			t.Errorf("parsed command line kept a secret: %q", got)
		}
	}
}
