package tunnelcfg

import "time"

// Duration is a time.Duration that YAML reads as a Go duration string
// ("30s") and JSON reads as integer seconds, exactly as cloudflared does.
type Duration struct{ time.Duration }

// OriginRequest is an originRequest block as written: nil means "not set
// here", so rule > top level > default can be resolved in one place.
type OriginRequest struct {
	ConnectTimeout         *Duration     `yaml:"connectTimeout" json:"connectTimeout,omitempty"`
	TLSTimeout             *Duration     `yaml:"tlsTimeout" json:"tlsTimeout,omitempty"`
	TCPKeepAlive           *Duration     `yaml:"tcpKeepAlive" json:"tcpKeepAlive,omitempty"`
	NoHappyEyeballs        *bool         `yaml:"noHappyEyeballs" json:"noHappyEyeballs,omitempty"`
	KeepAliveConnections   *int          `yaml:"keepAliveConnections" json:"keepAliveConnections,omitempty"`
	KeepAliveTimeout       *Duration     `yaml:"keepAliveTimeout" json:"keepAliveTimeout,omitempty"`
	HTTPHostHeader         *string       `yaml:"httpHostHeader" json:"httpHostHeader,omitempty"`
	OriginServerName       *string       `yaml:"originServerName" json:"originServerName,omitempty"`
	MatchSNIToHost         *bool         `yaml:"matchSNItoHost" json:"matchSNItoHost,omitempty"`
	CAPool                 *string       `yaml:"caPool" json:"caPool,omitempty"`
	NoTLSVerify            *bool         `yaml:"noTLSVerify" json:"noTLSVerify,omitempty"`
	DisableChunkedEncoding *bool         `yaml:"disableChunkedEncoding" json:"disableChunkedEncoding,omitempty"`
	BastionMode            *bool         `yaml:"bastionMode" json:"bastionMode,omitempty"`
	ProxyAddress           *string       `yaml:"proxyAddress" json:"proxyAddress,omitempty"`
	ProxyPort              *uint         `yaml:"proxyPort" json:"proxyPort,omitempty"`
	ProxyType              *string       `yaml:"proxyType" json:"proxyType,omitempty"`
	IPRules                []IPRule      `yaml:"ipRules" json:"ipRules,omitempty"`
	HTTP2Origin            *bool         `yaml:"http2Origin" json:"http2Origin,omitempty"`
	Access                 *AccessConfig `yaml:"access" json:"access,omitempty"`
}

// IPRule is one socks-proxy ipRules entry.
type IPRule struct {
	Prefix *string `yaml:"prefix" json:"prefix,omitempty"`
	Ports  []int   `yaml:"ports" json:"ports,omitempty"`
	Allow  bool    `yaml:"allow" json:"allow"`
}

// AccessConfig is originRequest.access.
type AccessConfig struct {
	Required    bool     `yaml:"required" json:"required"`
	TeamName    string   `yaml:"teamName" json:"teamName"`
	AudTag      []string `yaml:"audTag" json:"audTag"`
	Environment string   `yaml:"environment" json:"environment,omitempty"`
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
