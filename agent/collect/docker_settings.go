package collect

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// cloudflaredSettings parses cloudflared's command line and environment as
// Docker shows them. The raw environment (it holds TUNNEL_TOKEN) is read
// here and nowhere else; Settings keeps no secret.
func cloudflaredSettings(c *dockernet.Container) *tunnelcfg.Settings {
	if !c.Inspected {
		return nil
	}
	st := tunnelcfg.ParseCommandLine(c.Entrypoint, c.Cmd, c.RawEnv())
	return &st
}

// fillTunnelFromSettings takes the tunnel and account IDs from the token.
func fillTunnelFromSettings(t *agent.TunnelInfo, st *tunnelcfg.Settings) {
	if st == nil || st.Token == nil {
		return
	}
	if t.ID == "" {
		t.ID = st.Token.TunnelID
	}
	if t.Account == "" {
		t.Account = st.Token.AccountTag
	}
}
