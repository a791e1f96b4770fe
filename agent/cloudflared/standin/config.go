package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// dur is a duration written as a Go string in YAML ("30s") and as integer
// seconds in JSON, like cloudflared's CustomDuration.
type dur struct{ time.Duration }

func (d *dur) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	d.Duration = v
	return nil
}

func (d *dur) UnmarshalJSON(b []byte) error {
	s, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return err
	}
	d.Duration = time.Duration(s) * time.Second
	return nil
}

// rawOriginRequest is an originRequest block as written (nil = not set).
type rawOriginRequest struct {
	ConnectTimeout         *dur    `yaml:"connectTimeout" json:"connectTimeout"`
	TLSTimeout             *dur    `yaml:"tlsTimeout" json:"tlsTimeout"`
	TCPKeepAlive           *dur    `yaml:"tcpKeepAlive" json:"tcpKeepAlive"`
	NoHappyEyeballs        *bool   `yaml:"noHappyEyeballs" json:"noHappyEyeballs"`
	KeepAliveTimeout       *dur    `yaml:"keepAliveTimeout" json:"keepAliveTimeout"`
	KeepAliveConnections   *int    `yaml:"keepAliveConnections" json:"keepAliveConnections"`
	HTTPHostHeader         *string `yaml:"httpHostHeader" json:"httpHostHeader"`
	OriginServerName       *string `yaml:"originServerName" json:"originServerName"`
	MatchSNIToHost         *bool   `yaml:"matchSNItoHost" json:"matchSNItoHost"`
	CAPool                 *string `yaml:"caPool" json:"caPool"`
	NoTLSVerify            *bool   `yaml:"noTLSVerify" json:"noTLSVerify"`
	DisableChunkedEncoding *bool   `yaml:"disableChunkedEncoding" json:"disableChunkedEncoding"`
	BastionMode            *bool   `yaml:"bastionMode" json:"bastionMode"`
	ProxyAddress           *string `yaml:"proxyAddress" json:"proxyAddress"`
	ProxyPort              *uint   `yaml:"proxyPort" json:"proxyPort"`
	ProxyType              *string `yaml:"proxyType" json:"proxyType"`
	HTTP2Origin            *bool   `yaml:"http2Origin" json:"http2Origin"`
}

type rawRule struct {
	Hostname      string           `yaml:"hostname" json:"hostname"`
	Path          string           `yaml:"path" json:"path"`
	Service       string           `yaml:"service" json:"service"`
	OriginRequest rawOriginRequest `yaml:"originRequest" json:"originRequest"`
}

// rawConfig is the part of a config file (or remote config) the stand-in
// uses; other top-level keys are flags (Settings).
type rawConfig struct {
	Tunnel        string            `yaml:"tunnel" json:"-"`
	Ingress       []rawRule         `yaml:"ingress" json:"ingress"`
	OriginRequest rawOriginRequest  `yaml:"originRequest" json:"originRequest"`
	Settings      map[string]string `yaml:"-" json:"-"`
}

func loadConfigFile(path string) (rawConfig, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return rawConfig{}, err
	}
	var c rawConfig
	if err := yaml.Unmarshal(b, &c); err != nil {
		return rawConfig{}, err
	}
	var top map[string]any
	if err := yaml.Unmarshal(b, &top); err != nil {
		return rawConfig{}, err
	}
	c.Settings = map[string]string{}
	for k, v := range top {
		switch v.(type) {
		case string, int, bool, float64:
			c.Settings[k] = fmt.Sprint(v)
		}
	}
	return c, nil
}

// parseRemote reads a pushed configuration: the bare config object or the
// {"version":N,"config":{...}} envelope.
func parseRemote(s string) (rawConfig, int, bool, error) {
	var env struct {
		Version *int            `json:"version"`
		Config  json.RawMessage `json:"config"`
	}
	if err := json.Unmarshal([]byte(s), &env); err == nil && len(env.Config) > 0 {
		var c rawConfig
		if err := json.Unmarshal(env.Config, &c); err != nil {
			return rawConfig{}, 0, false, err
		}
		if env.Version != nil {
			return c, *env.Version, true, nil
		}
		return c, 0, false, nil
	}
	var c rawConfig
	err := json.Unmarshal([]byte(s), &c)
	return c, 0, false, err
}

// errLastRuleNotCatchAll is cloudflared's own text (ingress/ingress.go).
//
//lint:ignore ST1005 cloudflared's exact, capitalised text
var errLastRuleNotCatchAll = errors.New("The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)")

// validate gives cloudflared's startup verdict for the checks the stand-in
// needs; the real rules live in tunnelcfg.
func validate(c rawConfig) error {
	for i, r := range c.Ingress {
		last := i == len(c.Ingress)-1
		catchAll := (r.Hostname == "" || r.Hostname == "*") && r.Path == ""
		if last && !catchAll {
			return errLastRuleNotCatchAll
		}
		if strings.Contains(r.Service, ":") && !strings.Contains(r.Service, "://") &&
			!strings.HasPrefix(r.Service, "http_status:") && !strings.HasPrefix(r.Service, "unix") {
			return fmt.Errorf("%s is an invalid address, please make sure it has a scheme and a hostname", r.Service)
		}
		if u, err := url.Parse(r.Service); err == nil && u.Scheme != "" && u.Host != "" && u.Path != "" {
			return fmt.Errorf("%s is an invalid address, ingress rules don't support proxying to a different path on the origin service. The path will be the same as the eyeball request's path", r.Service)
		}
	}
	return nil
}

// Resolved /config shapes, field order and types as cloudflared marshals them.
type originRequestJSON struct {
	ConnectTimeout         float64  `json:"connectTimeout"`
	TLSTimeout             float64  `json:"tlsTimeout"`
	TCPKeepAlive           float64  `json:"tcpKeepAlive"`
	NoHappyEyeballs        bool     `json:"noHappyEyeballs"`
	KeepAliveTimeout       float64  `json:"keepAliveTimeout"`
	KeepAliveConnections   int      `json:"keepAliveConnections"`
	HTTPHostHeader         string   `json:"httpHostHeader"`
	OriginServerName       string   `json:"originServerName"`
	MatchSNIToHost         bool     `json:"matchSNItoHost"`
	CAPool                 string   `json:"caPool"`
	NoTLSVerify            bool     `json:"noTLSVerify"`
	DisableChunkedEncoding bool     `json:"disableChunkedEncoding"`
	BastionMode            bool     `json:"bastionMode"`
	ProxyAddress           string   `json:"proxyAddress"`
	ProxyPort              uint     `json:"proxyPort"`
	ProxyType              string   `json:"proxyType"`
	IPRules                []any    `json:"ipRules"`
	HTTP2Origin            bool     `json:"http2Origin"`
	Access                 struct { // cloudflared's access,omitempty on a struct never omits
		TeamName string   `json:"teamName"`
		AudTag   []string `json:"audTag"`
	} `json:"access"`
}

type ruleJSON struct {
	Hostname      string            `json:"hostname"`
	Path          *string           `json:"path"`
	Service       string            `json:"service"`
	Handlers      []any             `json:"Handlers"`
	OriginRequest originRequestJSON `json:"originRequest"`
}

type versionedConfigJSON struct {
	Version int `json:"version"`
	Config  struct {
		Ingress       []ruleJSON        `json:"ingress"`
		WarpRouting   map[string]any    `json:"warp-routing"`
		OriginRequest originRequestJSON `json:"originRequest"`
	} `json:"config"`
}

func defaultOriginRequest() originRequestJSON {
	return originRequestJSON{ConnectTimeout: 30, TLSTimeout: 10, TCPKeepAlive: 30, KeepAliveTimeout: 90,
		KeepAliveConnections: 100, ProxyAddress: "127.0.0.1"}
}

// apply overlays the settings written in r onto o.
func (o *originRequestJSON) apply(r rawOriginRequest) {
	secs := func(d *dur, into *float64) {
		if d != nil {
			*into = d.Seconds()
		}
	}
	secs(r.ConnectTimeout, &o.ConnectTimeout)
	secs(r.TLSTimeout, &o.TLSTimeout)
	secs(r.TCPKeepAlive, &o.TCPKeepAlive)
	secs(r.KeepAliveTimeout, &o.KeepAliveTimeout)
	setB := func(p *bool, into *bool) {
		if p != nil {
			*into = *p
		}
	}
	setS := func(p *string, into *string) {
		if p != nil {
			*into = *p
		}
	}
	setB(r.NoHappyEyeballs, &o.NoHappyEyeballs)
	setB(r.MatchSNIToHost, &o.MatchSNIToHost)
	setB(r.NoTLSVerify, &o.NoTLSVerify)
	setB(r.DisableChunkedEncoding, &o.DisableChunkedEncoding)
	setB(r.BastionMode, &o.BastionMode)
	setB(r.HTTP2Origin, &o.HTTP2Origin)
	setS(r.HTTPHostHeader, &o.HTTPHostHeader)
	setS(r.OriginServerName, &o.OriginServerName)
	setS(r.CAPool, &o.CAPool)
	setS(r.ProxyAddress, &o.ProxyAddress)
	setS(r.ProxyType, &o.ProxyType)
	if r.KeepAliveConnections != nil {
		o.KeepAliveConnections = *r.KeepAliveConnections
	}
	if r.ProxyPort != nil {
		o.ProxyPort = *r.ProxyPort
	}
}

// configJSON renders what cloudflared's /config returns for these rules.
// With no rules cloudflared answers every request with 503.
func configJSON(c rawConfig, version int) versionedConfigJSON {
	var out versionedConfigJSON
	out.Version = version
	global := defaultOriginRequest()
	global.apply(c.OriginRequest)
	out.Config.OriginRequest = global
	out.Config.WarpRouting = map[string]any{}
	rules := c.Ingress
	if len(rules) == 0 {
		rules = []rawRule{{Service: "http_status:503"}}
	}
	for _, r := range rules {
		or := global
		or.apply(r.OriginRequest)
		rj := ruleJSON{Hostname: r.Hostname, Service: r.Service, OriginRequest: or}
		if r.Path != "" {
			p := r.Path
			rj.Path = &p
		}
		out.Config.Ingress = append(out.Config.Ingress, rj)
	}
	return out
}
