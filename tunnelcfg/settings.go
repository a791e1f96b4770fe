package tunnelcfg

import (
	"path"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// Redacted replaces every secret in output (the one marker, redact.Marker).
const Redacted = redact.Marker

// Where a flag's value came from; cloudflared's precedence is CLI > env > file.
const (
	SourceCLI  = "cli"
	SourceEnv  = "env"
	SourceFile = "file"
)

// FlagValue is one cloudflared flag as set. Secret values are stored as
// Redacted, never in clear.
type FlagValue struct {
	Value  string `json:"value"`
	Source string `json:"source"`        // cli | env | file
	Env    string `json:"env,omitempty"` // the variable, when Source is env
	Line   int    `json:"line,omitempty"`
}

// Settings is cloudflared's command line and environment as Docker inspect
// shows them (entrypoint + cmd, env), optionally completed by the config
// file's flags (ApplyFile). It holds no secret: token values are decoded
// into Token (which drops the secret) and stored redacted.
type Settings struct {
	Binary     string   `json:"binary,omitempty"`
	Subcommand string   `json:"subcommand,omitempty"` // "tunnel run", "tunnel", "tunnel ingress validate"
	RunTarget  string   `json:"run_target,omitempty"` // tunnel name or UUID after `run`
	Args       []string `json:"args,omitempty"`       // the command line, secrets redacted

	ConfigPath          string `json:"config_path,omitempty"` // --config (only from the command line)
	Token               *Token `json:"token,omitempty"`       // decoded --token / TUNNEL_TOKEN
	TokenFile           string `json:"token_file,omitempty"`
	CredentialsFile     string `json:"credentials_file,omitempty"`
	CredentialsContents bool   `json:"credentials_contents,omitempty"` // set (value never kept)

	Metrics    string `json:"metrics,omitempty"`
	Protocol   string `json:"protocol,omitempty"`
	URL        string `json:"url,omitempty"`
	HelloWorld bool   `json:"hello_world,omitempty"`

	// Legacy single-origin flags: they only apply when there are no ingress rules.
	NoTLSVerify      bool   `json:"no_tls_verify,omitempty"`
	OriginServerName string `json:"origin_server_name,omitempty"`
	HTTPHostHeader   string `json:"http_host_header,omitempty"`
	OriginCAPool     string `json:"origin_ca_pool,omitempty"`

	LogLevel     string `json:"loglevel,omitempty"`
	LogFile      string `json:"logfile,omitempty"`
	LogDirectory string `json:"log_directory,omitempty"`
	Output       string `json:"output,omitempty"`

	// Flags is every flag set, by its main name.
	Flags map[string]FlagValue `json:"flags,omitempty"`
	// Problems are what cloudflared would reject (misplaced flags, bad
	// values, an invalid token) and flags tunneldoctor does not know.
	Problems []Problem `json:"problems,omitempty"`
}

// ApplyFile completes the settings with the config file's flags, which rank
// below the command line and the environment.
func (s *Settings) ApplyFile(c *Config) {
	if s == nil || c == nil {
		return
	}
	if s.Flags == nil {
		s.Flags = map[string]FlagValue{}
	}
	idx := newFlagIndex()
	for name, st := range c.Settings {
		spec, ok := idx[name]
		if !ok || spec.name != name || !spec.file {
			continue
		}
		if _, set := s.Flags[name]; set {
			continue
		}
		s.Flags[name] = FlagValue{Value: st.Value, Source: SourceFile, Line: st.Line}
	}
	s.derive()
}

// derive fills the typed fields from Flags.
func (s *Settings) derive() {
	get := func(n string) string { return s.Flags[n].Value }
	s.ConfigPath = get("config")
	s.TokenFile = get("token-file")
	s.CredentialsFile = get("credentials-file")
	_, s.CredentialsContents = s.Flags["credentials-contents"]
	s.Metrics, s.Protocol, s.URL = get("metrics"), get("protocol"), get("url")
	s.NoTLSVerify = truthy(get("no-tls-verify"))
	s.HelloWorld = truthy(get("hello-world"))
	s.OriginServerName, s.HTTPHostHeader, s.OriginCAPool = get("origin-server-name"), get("http-host-header"), get("origin-ca-pool")
	s.LogLevel, s.LogFile, s.LogDirectory, s.Output = get("loglevel"), get("logfile"), get("log-directory"), get("output")
}

func truthy(v string) bool {
	b, err := strconv.ParseBool(v)
	return err == nil && b
}

// flag is a nil-safe lookup.
func (s *Settings) flag(name string) (FlagValue, bool) {
	if s == nil {
		return FlagValue{}, false
	}
	v, ok := s.Flags[name]
	return v, ok
}

// cliOrigin names the single origin the command line gives, if any.
func (s *Settings) cliOrigin() string {
	switch {
	case s == nil:
		return ""
	case s.URL != "":
		return "--url " + s.URL
	case s.HelloWorld:
		return "--hello-world"
	case s.Flags["unix-socket"].Value != "":
		return "--unix-socket " + s.Flags["unix-socket"].Value
	case truthy(s.Flags["bastion"].Value):
		return "--bastion"
	}
	return ""
}

// String is a one-line summary safe to log: no secret is ever stored.
func (s Settings) String() string {
	var b strings.Builder
	b.WriteString(strings.Join(s.Args, " "))
	if s.Token != nil {
		b.WriteString(" [" + s.Token.String() + "]")
	}
	return b.String()
}

// Redacted returns the settings for display; Settings never holds a
// secret, so this is a copy with Args and Flags as stored.
func (s Settings) Redacted() Settings {
	out := s
	out.Args = append([]string(nil), s.Args...)
	out.Flags = make(map[string]FlagValue, len(s.Flags))
	for k, v := range s.Flags {
		out.Flags[k] = v
	}
	return out
}

// DefaultConfigSearchPaths lists where cloudflared looks for a config file
// when --config is not given, in its order: the first that exists wins
// (config/configuration.go FindDefaultConfigPath).
func DefaultConfigSearchPaths(home string) []string {
	dirs := []string{"~/.cloudflared", "~/.cloudflare-warp", "~/cloudflare-warp", "/etc/cloudflared", "/usr/local/etc/cloudflared"}
	var out []string
	for _, d := range dirs {
		if strings.HasPrefix(d, "~/") {
			if home == "" {
				continue
			}
			d = path.Join(home, d[2:])
		}
		for _, f := range []string{"config.yml", "config.yaml"} {
			out = append(out, path.Join(d, f))
		}
	}
	return out
}
