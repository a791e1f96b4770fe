package agent

// TunnelInfo is the "tunnel" object of the JSON report: which tunnel and
// which cloudflared this run looked at. The sequential collectors (docker,
// cloudflared, ingress) fill it; empty fields mean unknown.
type TunnelInfo struct {
	ID            string `json:"id"`
	Account       string `json:"account"`
	Cloudflared   string `json:"cloudflared"`    // container name, or "" outside Docker
	ConfigSource  string `json:"config_source"`  // local | remote | file | api | cli
	ConfigVersion int    `json:"config_version"` // cloudflared's /config version; -1 local (the JSON report prints null while ConfigSource is "")
	Connected     *bool  `json:"connected"`      // nil when unknown
}

// ConfigSource values of TunnelInfo: where the live ingress came from.
const (
	ConfigSourceLocal  = "local"  // cloudflared's /config, version -1: its local file
	ConfigSourceRemote = "remote" // cloudflared's /config, version >= 0: the dashboard
	ConfigSourceFile   = "file"   // a config file read by tunneldoctor (cloudflared not asked)
	ConfigSourceAPI    = "api"    // the Cloudflare API's tunnel configuration
	ConfigSourceCLI    = "cli"    // --url / --hello-world on cloudflared's command line
)
