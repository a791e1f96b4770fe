package cfclient

import "github.com/tunneldoctor/tunneldoctor/tunnelcfg"

// parseRemoteConfig reads the API's configuration result
// ({"tunnel_id","version","config":{"ingress":[...]},"source"}) exactly as
// tunnelcfg reads cloudflared's own JSON.
func parseRemoteConfig(raw []byte) (*tunnelcfg.Config, error) {
	return tunnelcfg.ParseJSON(raw, tunnelcfg.FromAPI)
}
