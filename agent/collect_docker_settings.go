package agent

import (
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// cloudflaredSettings parses cloudflared's command line and environment as
// Docker shows them. The raw environment (it holds TUNNEL_TOKEN) is read
// here and nowhere else; Settings keeps the token redacted.
func cloudflaredSettings(c *dockernet.Container) *tunnelcfg.Settings {
	if !c.Inspected {
		return nil
	}
	// Placeholder until tunnelcfg.ParseCommandLine lands.
	_ = c.RawEnv()
	return &tunnelcfg.Settings{}
}

// fillTunnelFromSettings takes the tunnel and account IDs from the token.
func fillTunnelFromSettings(t *TunnelInfo, st *tunnelcfg.Settings) {
	_, _ = t, st
}
