// Package tunnelcfg reads cloudflared's configuration exactly as cloudflared
// 2026.8 does (config file, /config JSON, the API's tunnel configuration,
// command line and environment), but reports every problem at once.
// It imports nothing from this module.
package tunnelcfg

// Origin says where a Config came from.
type Origin string

const (
	FromFile        Origin = "file"        // a YAML config file
	FromCloudflared Origin = "cloudflared" // cloudflared's /config endpoint (what it really runs)
	FromAPI         Origin = "api"         // the Cloudflare API's tunnel configuration
	FromCLI         Origin = "cli"         // --url / --hello-world on cloudflared's command line
)

// LocalVersion is the /config version of a locally managed tunnel.
const LocalVersion = -1

// Config is one ingress configuration, whatever its source.
type Config struct {
	Origin Origin `json:"origin"`
	Path   string `json:"path,omitempty"` // file path when Origin is FromFile
	// Version is cloudflared's configuration version: -1 for a local file,
	// >=0 when the dashboard (remote config) is live.
	Version int `json:"version"`

	Tunnel          string `json:"tunnel,omitempty"`
	CredentialsFile string `json:"credentials-file,omitempty"`
	// Settings holds every other top-level key of a config file; cloudflared
	// treats them as command-line flag names (metrics, protocol, url, ...).
	Settings map[string]Setting `json:"settings,omitempty"`

	OriginRequest OriginRequest `json:"originRequest"`
	WarpRouting   WarpRouting   `json:"warp-routing"`
	Rules         []Rule        `json:"ingress"`
}

// Setting is one top-level key of a config file that maps to a flag.
type Setting struct {
	Value string `json:"value"` // scalar rendered as text; lists joined by ","
	Line  int    `json:"line,omitempty"`
}

// Rule is one ingress rule as written (OriginRequest holds only the fields
// the rule sets; use Config.Effective for the resolved values).
type Rule struct {
	Index         int           `json:"index"` // 0-based, as cloudflared logs it
	Line          int           `json:"line,omitempty"`
	Hostname      string        `json:"hostname"`
	Path          string        `json:"path"`
	Service       string        `json:"service"`
	OriginRequest OriginRequest `json:"originRequest"`
}

// IsCatchAll reports whether the rule matches every request: hostname "" or
// "*" and no path (cloudflared ingress.go:374).
func (r Rule) IsCatchAll() bool {
	return (r.Hostname == "" || r.Hostname == "*") && r.Path == ""
}

// WarpRouting is the warp-routing section.
type WarpRouting struct {
	ConnectTimeout *Duration `json:"connectTimeout,omitempty"`
	MaxActiveFlows *uint64   `json:"maxActiveFlows,omitempty"`
	TCPKeepAlive   *Duration `json:"tcpKeepAlive,omitempty"`
}
