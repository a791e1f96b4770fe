package tunnelcfg

import (
	"strings"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// flagType is the value type of a cloudflared flag (urfave/cli flag kinds).
type flagType int

const (
	flagString flagType = iota
	flagBool
	flagInt
	flagUint
	flagDuration
	flagSlice
)

// flagScope says where on the command line a flag is defined.
type flagScope int

const (
	scopeTunnel flagScope = 1 << iota // root `cloudflared` and `tunnel` (before `run`)
	scopeRun                          // `tunnel run` (after `run`)
)

// flagSpec is one cloudflared 2026.8 flag (cmd/cloudflared/tunnel/cmd.go
// tunnelFlags, subcommands.go buildRunCommand, cliutil/logger.go).
type flagSpec struct {
	name    string
	aliases []string
	env     []string // in urfave/cli lookup order: the first one set wins
	typ     flagType
	scope   flagScope
	file    bool // settable from the config file (altsrc)
	secret  bool // never printed: the single source of SecretFlags
}

// cloudflaredFlags returns the flag table. A function, not a package
// variable, so nothing can change it at run time.
func cloudflaredFlags() []flagSpec {
	const (
		t  = scopeTunnel
		r  = scopeRun
		tr = scopeTunnel | scopeRun
	)
	f := func(name string, typ flagType, scope flagScope, env ...string) flagSpec {
		return flagSpec{name: name, typ: typ, scope: scope, env: env, file: true}
	}
	return []flagSpec{
		// configureCloudflaredFlags
		{name: "config", typ: flagString, scope: t},
		f("origincert", flagString, t, "TUNNEL_ORIGIN_CERT"),
		f("autoupdate-freq", flagDuration, t),
		f("no-autoupdate", flagBool, t, "NO_AUTOUPDATE"),
		f("no-prechecks", flagBool, t, "TUNNEL_NO_PRECHECKS"),
		f("metrics", flagString, t, "TUNNEL_METRICS"),
		f("pidfile", flagString, t, "TUNNEL_PIDFILE"),
		// configureProxyFlags: defined on `tunnel` and on `tunnel run`
		f("url", flagString, tr, "TUNNEL_URL"),
		f("hello-world", flagBool, tr, "TUNNEL_HELLO_WORLD"),
		f("socks5", flagBool, tr, "TUNNEL_SOCKS"),
		f("proxy-connect-timeout", flagDuration, tr),
		f("proxy-tls-timeout", flagDuration, tr),
		f("proxy-tcp-keepalive", flagDuration, tr),
		f("proxy-no-happy-eyeballs", flagBool, tr),
		f("proxy-keepalive-connections", flagInt, tr),
		f("proxy-keepalive-timeout", flagDuration, tr),
		f("proxy-connection-timeout", flagDuration, tr),
		f("proxy-expect-continue-timeout", flagDuration, tr),
		f("http-host-header", flagString, tr, "TUNNEL_HTTP_HOST_HEADER"),
		f("origin-server-name", flagString, tr, "TUNNEL_ORIGIN_SERVER_NAME"),
		f("unix-socket", flagString, tr, "TUNNEL_UNIX_SOCKET"),
		f("origin-ca-pool", flagString, tr, "TUNNEL_ORIGIN_CA_POOL"),
		f("no-tls-verify", flagBool, tr, "NO_TLS_VERIFY"),
		f("no-chunked-encoding", flagBool, tr, "TUNNEL_NO_CHUNKED_ENCODING"),
		f("http2-origin", flagBool, tr, "TUNNEL_ORIGIN_ENABLE_HTTP2"),
		f("management-hostname", flagString, tr, "TUNNEL_MANAGEMENT_HOSTNAME"),
		f("service-op-ip", flagString, tr, "TUNNEL_SERVICE_OP_IP"),
		// sshFlags (part of the proxy flags)
		f("local-ssh-port", flagString, tr, "LOCAL_SSH_PORT"),
		f("ssh-idle-timeout", flagDuration, tr, "SSH_IDLE_TIMEOUT"),
		f("ssh-max-timeout", flagDuration, tr, "SSH_MAX_TIMEOUT"),
		f("bucket-name", flagString, tr, "BUCKET_ID"),
		f("region-name", flagString, tr, "REGION_ID"),
		{name: "secret-id", typ: flagString, scope: tr, env: []string{"SECRET_ID"}, file: true, secret: true},
		{name: "access-key-id", typ: flagString, scope: tr, env: []string{"ACCESS_CLIENT_ID"}, file: true, secret: true},
		{name: "session-token", typ: flagString, scope: tr, env: []string{"SESSION_TOKEN_ID"}, file: true, secret: true},
		f("s3-url-host", flagString, tr, "S3_URL"),
		f("host-key-path", flagString, tr, "HOST_KEY_PATH"),
		f("ssh-server", flagBool, tr, "TUNNEL_SSH_SERVER"),
		f("bastion", flagBool, tr, "TUNNEL_BASTION"),
		f("proxy-address", flagString, tr, "TUNNEL_PROXY_ADDRESS"),
		f("proxy-port", flagInt, tr, "TUNNEL_PROXY_PORT"),
		// ConfigureLoggingFlags
		f("loglevel", flagString, t, "TUNNEL_LOGLEVEL"),
		{name: "transport-loglevel", aliases: []string{"proto-loglevel"}, typ: flagString, scope: t, env: []string{"TUNNEL_PROTO_LOGLEVEL", "TUNNEL_TRANSPORT_LOGLEVEL"}, file: true},
		f("logfile", flagString, t, "TUNNEL_LOGFILE"),
		f("log-directory", flagString, t, "TUNNEL_LOGDIRECTORY"),
		f("trace-output", flagString, t, "TUNNEL_TRACE_OUTPUT"),
		{name: "output", typ: flagString, scope: t, env: []string{"TUNNEL_MANAGEMENT_OUTPUT", "TUNNEL_LOG_OUTPUT"}},
		// proxy-dns (removed feature; flags kept so scripts do not break)
		f("proxy-dns", flagBool, t),
		f("proxy-dns-port", flagInt, t),
		f("proxy-dns-address", flagString, t),
		f("proxy-dns-upstream", flagSlice, t),
		f("proxy-dns-max-upstream-conns", flagInt, t),
		f("proxy-dns-bootstrap", flagSlice, t),
		// the rest of tunnelFlags
		{name: "credentials-file", aliases: []string{"cred-file"}, typ: flagString, scope: tr, env: []string{"TUNNEL_CRED_FILE"}, file: true},
		f("is-autoupdated", flagBool, t),
		f("edge", flagSlice, t, "TUNNEL_EDGE"),
		f("region", flagString, t, "TUNNEL_REGION"),
		f("edge-ip-version", flagString, t, "TUNNEL_EDGE_IP_VERSION"),
		f("edge-bind-address", flagString, t, "TUNNEL_EDGE_BIND_ADDRESS"),
		f("cacert", flagString, t, "TUNNEL_CACERT"),
		f("hostname", flagString, t, "TUNNEL_HOSTNAME"),
		f("id", flagString, t, "TUNNEL_ID"),
		f("lb-pool", flagString, t, "TUNNEL_LB_POOL"),
		{name: "api-key", typ: flagString, scope: t, env: []string{"TUNNEL_API_KEY"}, file: true, secret: true},
		f("api-email", flagString, t, "TUNNEL_API_EMAIL"),
		{name: "api-ca-key", typ: flagString, scope: t, env: []string{"TUNNEL_API_CA_KEY"}, file: true, secret: true},
		f("api-url", flagString, t, "TUNNEL_API_URL"),
		f("metrics-update-freq", flagDuration, t, "TUNNEL_METRICS_UPDATE_FREQ"),
		f("tag", flagSlice, t, "TUNNEL_TAG"),
		f("heartbeat-interval", flagDuration, t),
		f("heartbeat-count", flagInt, t),
		f("max-edge-addr-retries", flagInt, t),
		f("retries", flagInt, t, "TUNNEL_RETRIES"),
		f("ha-connections", flagInt, t),
		f("rpc-timeout", flagDuration, t),
		f("write-stream-timeout", flagDuration, t, "TUNNEL_STREAM_WRITE_TIMEOUT"),
		f("quic-disable-pmtu-discovery", flagBool, t, "TUNNEL_DISABLE_QUIC_PMTU"),
		f("quic-connection-level-flow-control-limit", flagInt, t, "TUNNEL_QUIC_CONN_LEVEL_FLOW_CONTROL_LIMIT"),
		f("quic-stream-level-flow-control-limit", flagInt, t, "TUNNEL_QUIC_STREAM_LEVEL_FLOW_CONTROL_LIMIT"),
		f("label", flagString, t),
		f("grace-period", flagDuration, t, "TUNNEL_GRACE_PERIOD"),
		f("compression-quality", flagInt, t, "TUNNEL_COMPRESSION_LEVEL"),
		f("use-reconnect-token", flagBool, t, "TUNNEL_USE_RECONNECT_TOKEN"),
		f("dial-edge-timeout", flagDuration, t, "DIAL_EDGE_TIMEOUT"),
		f("stdin-control", flagBool, t, "STDIN_CONTROL"),
		{name: "name", aliases: []string{"n"}, typ: flagString, scope: t, env: []string{"TUNNEL_NAME"}, file: true},
		f("ui", flagBool, t),
		f("quick-service", flagString, t),
		f("max-fetch-size", flagInt, t, "TUNNEL_MAX_FETCH_SIZE"),
		{name: "post-quantum", aliases: []string{"pq"}, typ: flagBool, scope: tr, env: []string{"TUNNEL_POST_QUANTUM"}, file: true},
		f("management-diagnostics", flagBool, t, "TUNNEL_MANAGEMENT_DIAGNOSTICS"),
		{name: "protocol", aliases: []string{"p"}, typ: flagString, scope: tr, env: []string{"TUNNEL_TRANSPORT_PROTOCOL"}, file: true},
		{name: "overwrite-dns", aliases: []string{"f"}, typ: flagBool, scope: t, env: []string{"TUNNEL_FORCE_PROVISIONING_DNS"}},
		// buildRunCommand only
		{name: "credentials-contents", typ: flagString, scope: r, env: []string{"TUNNEL_CRED_CONTENTS"}, file: true, secret: true},
		{name: "features", aliases: []string{"F"}, typ: flagSlice, scope: r, file: true},
		{name: "token", typ: flagString, scope: r, env: []string{"TUNNEL_TOKEN"}, file: true, secret: true},
		{name: "token-file", typ: flagString, scope: r, env: []string{"TUNNEL_TOKEN_FILE"}, file: true},
		{name: "icmpv4-src", typ: flagString, scope: r, env: []string{"TUNNEL_ICMPV4_SRC"}},
		{name: "icmpv6-src", typ: flagString, scope: r, env: []string{"TUNNEL_ICMPV6_SRC"}},
		{name: "max-active-flows", typ: flagUint, scope: r, env: []string{"TUNNEL_MAX_ACTIVE_FLOWS"}},
		{name: "dns-resolver-addrs", typ: flagSlice, scope: r, env: []string{"TUNNEL_DNS_RESOLVER_ADDRS"}},
		// urfave/cli built-ins
		{name: "help", aliases: []string{"h"}, typ: flagBool, scope: tr},
		{name: "version", aliases: []string{"v"}, typ: flagBool, scope: t},
	}
}

// flagIndex finds flags by name or alias.
type flagIndex map[string]flagSpec

func newFlagIndex() flagIndex {
	idx := flagIndex{}
	for _, f := range cloudflaredFlags() {
		idx[f.name] = f
		for _, a := range f.aliases {
			idx[a] = f
		}
	}
	return idx
}

// legacyOriginFlags apply only when no ingress rules exist
// (ingress.go parseCLIIngress): beside ingress rules they do nothing.
func legacyOriginFlags() map[string]string {
	return map[string]string{
		"no-tls-verify":               "noTLSVerify",
		"origin-server-name":          "originServerName",
		"http-host-header":            "httpHostHeader",
		"origin-ca-pool":              "caPool",
		"proxy-connect-timeout":       "connectTimeout",
		"proxy-tls-timeout":           "tlsTimeout",
		"proxy-tcp-keepalive":         "tcpKeepAlive",
		"proxy-no-happy-eyeballs":     "noHappyEyeballs",
		"proxy-keepalive-connections": "keepAliveConnections",
		"proxy-keepalive-timeout":     "keepAliveTimeout",
		"no-chunked-encoding":         "disableChunkedEncoding",
		"http2-origin":                "http2Origin",
		"proxy-address":               "proxyAddress",
		"proxy-port":                  "proxyPort",
		"hello-world":                 "",
		"unix-socket":                 "",
		"socks5":                      "",
		"bastion":                     "bastionMode",
	}
}

// isSecretName guesses secret-bearing names not in the table (env vars of
// inspected containers, unknown flags, config keys).
func isSecretName(name string) bool {
	n := strings.ToLower(name)
	return redact.SecretName(n) || strings.Contains(n, "key") || strings.Contains(n, "contents")
}

// SecretFlags lists the flags the table marks secret (names and aliases)
// and their environment variables, for redact.New: every output redacts
// their values wherever they appear.
func SecretFlags() redact.Options {
	var o redact.Options
	for _, f := range cloudflaredFlags() {
		if !f.secret {
			continue
		}
		o.Flags = append(o.Flags, f.name)
		o.Flags = append(o.Flags, f.aliases...)
		o.Env = append(o.Env, f.env...)
	}
	return o
}

// NewRedactor returns a redactor for cloudflared's secret flags that knows
// the given secret values.
func NewRedactor(secrets ...string) *redact.Redactor {
	return redact.New(SecretFlags(), secrets...)
}

// IsSecretFlag reports whether a cloudflared flag, by any of its names
// ("token", "credentials-contents", "api-key"...), carries a secret whose
// value is never shown.
func IsSecretFlag(name string) bool {
	spec, ok := newFlagIndex()[name]
	return ok && spec.secret
}
