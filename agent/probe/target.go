package probe

import "time"

// Target is one origin to probe, with the settings cloudflared would use for
// it (the rule's effective originRequest). It says nothing about where the
// settings came from, so tests can build one by hand.
type Target struct {
	Rule     int    `json:"rule"`     // 0-based ingress rule index
	Hostname string `json:"hostname"` // the rule's public hostname ("" for a catch-all)
	Service  string `json:"service"`  // the rule's service, as written

	// Kind is KindHTTP for http/https/ws/wss/unix/unix+tls services and
	// KindTCP for the schemes cloudflared proxies as raw TCP (ssh, rdp...).
	Kind Kind `json:"kind"`
	// Network is "tcp" or "unix"; Address is host:port or the socket path.
	Network string `json:"network"`
	Address string `json:"address"`
	// Host is the service's host (no port), "" for unix sockets.
	Host string `json:"host,omitempty"`
	// TLS is true for https, wss and unix+tls services.
	TLS bool `json:"tls"`

	ConnectTimeout  time.Duration `json:"connect_timeout"`
	TLSTimeout      time.Duration `json:"tls_timeout"`
	NoHappyEyeballs bool          `json:"no_happy_eyeballs,omitempty"`
	// OriginServerName, MatchSNIToHost, CAPool, NoTLSVerify, HTTP2Origin and
	// HTTPHostHeader are the originRequest values of the same names.
	OriginServerName string `json:"origin_server_name,omitempty"`
	MatchSNIToHost   bool   `json:"match_sni_to_host,omitempty"`
	CAPool           string `json:"ca_pool,omitempty"`
	NoTLSVerify      bool   `json:"no_tls_verify,omitempty"`
	HTTP2Origin      bool   `json:"http2_origin,omitempty"`
	HTTPHostHeader   string `json:"http_host_header,omitempty"`
}

// Kind says how a target is probed.
type Kind string

const (
	KindHTTP Kind = "http" // full HTTP request, as cloudflared proxies it
	KindTCP  Kind = "tcp"  // connect only: cloudflared streams raw TCP to it
)

// HostHeader is the Host cloudflared sends: httpHostHeader, else the public
// hostname the visitor asked for, else the service's own host.
func (t Target) HostHeader() string {
	switch {
	case t.HTTPHostHeader != "":
		return t.HTTPHostHeader
	case t.Hostname != "" && t.Hostname != "*" && !hasWildcard(t.Hostname):
		return t.Hostname
	}
	return t.Host
}

// ServerName is the TLS SNI and verification name cloudflared uses:
// originServerName, else the request's Host with matchSNItoHost, else the
// service host (for unix+tls, the request's host, which is all it has).
func (t Target) ServerName() string {
	switch {
	case t.OriginServerName != "":
		return t.OriginServerName
	case t.MatchSNIToHost:
		return t.HostHeader()
	case t.Network == "unix":
		return t.HostHeader()
	}
	return t.Host
}

func hasWildcard(h string) bool {
	for i := 0; i < len(h); i++ {
		if h[i] == '*' {
			return true
		}
	}
	return false
}
