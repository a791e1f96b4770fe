package tunnelcfg

import "time"

// Duration is a time.Duration that YAML reads as a Go duration string
// ("30s") and JSON reads as integer seconds, exactly as cloudflared does.
type Duration struct{ time.Duration }

// OriginRequest is an originRequest block as written: nil means "not set
// here", so rule > top level > default can be resolved in one place.
type OriginRequest struct {
	ConnectTimeout         *Duration     `json:"connectTimeout,omitempty"`
	TLSTimeout             *Duration     `json:"tlsTimeout,omitempty"`
	TCPKeepAlive           *Duration     `json:"tcpKeepAlive,omitempty"`
	NoHappyEyeballs        *bool         `json:"noHappyEyeballs,omitempty"`
	KeepAliveConnections   *int          `json:"keepAliveConnections,omitempty"`
	KeepAliveTimeout       *Duration     `json:"keepAliveTimeout,omitempty"`
	HTTPHostHeader         *string       `json:"httpHostHeader,omitempty"`
	OriginServerName       *string       `json:"originServerName,omitempty"`
	MatchSNIToHost         *bool         `json:"matchSNItoHost,omitempty"`
	CAPool                 *string       `json:"caPool,omitempty"`
	NoTLSVerify            *bool         `json:"noTLSVerify,omitempty"`
	DisableChunkedEncoding *bool         `json:"disableChunkedEncoding,omitempty"`
	BastionMode            *bool         `json:"bastionMode,omitempty"`
	ProxyAddress           *string       `json:"proxyAddress,omitempty"`
	ProxyPort              *uint         `json:"proxyPort,omitempty"`
	ProxyType              *string       `json:"proxyType,omitempty"`
	IPRules                []IPRule      `json:"ipRules,omitempty"`
	HTTP2Origin            *bool         `json:"http2Origin,omitempty"`
	Access                 *AccessConfig `json:"access,omitempty"`
}

// IPRule is one socks-proxy ipRules entry.
type IPRule struct {
	Prefix *string `json:"prefix,omitempty"`
	Ports  []int   `json:"ports,omitempty"`
	Allow  bool    `json:"allow"`
}

// AccessConfig is originRequest.access.
type AccessConfig struct {
	Required    bool     `json:"required"`
	TeamName    string   `json:"teamName"`
	AudTag      []string `json:"audTag"`
	Environment string   `json:"environment,omitempty"`
}

// Resolved is an originRequest with every value decided: the rule's own
// setting, else the top-level one, else cloudflared's default.
type Resolved struct {
	ConnectTimeout         time.Duration
	TLSTimeout             time.Duration
	TCPKeepAlive           time.Duration
	NoHappyEyeballs        bool
	KeepAliveConnections   int
	KeepAliveTimeout       time.Duration
	HTTPHostHeader         string
	OriginServerName       string
	MatchSNIToHost         bool
	CAPool                 string
	NoTLSVerify            bool
	DisableChunkedEncoding bool
	BastionMode            bool
	ProxyAddress           string
	ProxyPort              uint
	ProxyType              string
	IPRules                []IPRule
	HTTP2Origin            bool
	Access                 *AccessConfig
}
