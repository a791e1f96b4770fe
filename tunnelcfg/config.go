// Package tunnelcfg reads cloudflared's configuration exactly as cloudflared
// 2026.8 does (config file, /config JSON, the API's tunnel configuration,
// command line and environment), but reports every problem at once.
// It imports nothing from this module except the leaf package
// tunnelcfg/textdist (edit distances, shared with dockernet).
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
	// Source is the API's "source" of a remote configuration: "cloudflare"
	// (dashboard-managed) or "local" (pushed by a locally managed tunnel).
	Source string `json:"source,omitempty"`

	Tunnel          string `json:"tunnel,omitempty"`
	CredentialsFile string `json:"credentials-file,omitempty"`
	// Settings holds every other top-level key of a config file; cloudflared
	// treats them as command-line flag names (metrics, protocol, url, ...).
	Settings map[string]Setting `json:"settings,omitempty"`

	OriginRequest OriginRequest `json:"originRequest"`
	WarpRouting   WarpRouting   `json:"warp-routing"`
	Rules         []Rule        `json:"ingress"`

	// lines maps a top-level path ("originRequest.noTLSVerify") to its line.
	lines map[string]int
	// match caches compiled rules for Match; built on first use.
	match *matchCache
	// unreadable is set when the file is not valid YAML: there is nothing
	// to validate, and "no rules" would only repeat the syntax error.
	unreadable bool
}

// Setting is one top-level key of a config file that maps to a flag.
type Setting struct {
	Value string `json:"value"` // scalar rendered as text; lists joined by ","
	Line  int    `json:"line,omitempty"`
}

// Rule is one ingress rule as written (OriginRequest holds only the fields
// the rule sets; use Config.Effective for the resolved values).
type Rule struct {
	Index         int           `yaml:"-" json:"index"` // 0-based, as cloudflared logs it
	Line          int           `yaml:"-" json:"line,omitempty"`
	Hostname      string        `yaml:"hostname" json:"hostname"`
	Path          string        `yaml:"path" json:"path"`
	Service       string        `yaml:"service" json:"service"`
	OriginRequest OriginRequest `yaml:"originRequest" json:"originRequest"`

	// lines records keys inside the rule ("service", "originRequest.caPool")
	// with their 1-based lines.
	lines fieldLines
}

// LineOf returns the line of a key inside the rule ("service",
// "originRequest.noTLSVerify"), or the rule's own line when unknown.
func (r Rule) LineOf(field string) int {
	if l, ok := r.lines.get(field); ok {
		return l
	}
	return r.Line
}

// IsCatchAll reports whether the rule matches every request: hostname "" or
// "*" and no path (cloudflared ingress.go:374).
func (r Rule) IsCatchAll() bool {
	return (r.Hostname == "" || r.Hostname == "*") && r.Path == ""
}

// WarpRouting is the warp-routing section.
type WarpRouting struct {
	ConnectTimeout *Duration `yaml:"connectTimeout" json:"connectTimeout,omitempty"`
	MaxActiveFlows *uint64   `yaml:"maxActiveFlows" json:"maxActiveFlows,omitempty"`
	TCPKeepAlive   *Duration `yaml:"tcpKeepAlive" json:"tcpKeepAlive,omitempty"`
}

// LineOf returns the line of a top-level key path ("originRequest",
// "originRequest.noTLSVerify", "metrics"), or 0 when unknown.
func (c *Config) LineOf(path string) int {
	if s, ok := c.Settings[path]; ok && s.Line > 0 {
		return s.Line
	}
	return c.lines[path]
}
