package tunnelcfg

import "time"

// cloudflared's originRequest defaults (ingress/config.go).
const (
	DefaultConnectTimeout       = 30 * time.Second
	DefaultTLSTimeout           = 10 * time.Second
	DefaultTCPKeepAlive         = 30 * time.Second
	DefaultKeepAliveConnections = 100
	DefaultKeepAliveTimeout     = 90 * time.Second
	DefaultProxyAddress         = "127.0.0.1"
	// warp-routing defaults.
	DefaultWarpConnectTimeout = 5 * time.Second
)

// Defaults returns the originRequest cloudflared uses when nothing is set.
func Defaults() Resolved {
	return Resolved{
		ConnectTimeout:       DefaultConnectTimeout,
		TLSTimeout:           DefaultTLSTimeout,
		TCPKeepAlive:         DefaultTCPKeepAlive,
		KeepAliveConnections: DefaultKeepAliveConnections,
		KeepAliveTimeout:     DefaultKeepAliveTimeout,
		ProxyAddress:         DefaultProxyAddress,
	}
}

// Effective resolves a rule's originRequest: the rule's own value, else the
// top-level originRequest, else cloudflared's default — the one place this
// precedence lives. A rule index out of range gives the top-level values.
// A `service: bastion` rule is in bastion mode whatever it sets, as in
// cloudflared.
func (c *Config) Effective(rule int) Resolved {
	r := Defaults()
	r.apply(c.OriginRequest)
	if rule >= 0 && rule < len(c.Rules) {
		r.apply(c.Rules[rule].OriginRequest)
		if c.Rules[rule].Service == "bastion" {
			r.BastionMode = true
		}
	}
	return r
}

// apply overrides every field o sets.
func (r *Resolved) apply(o OriginRequest) {
	setDur(&r.ConnectTimeout, o.ConnectTimeout)
	setDur(&r.TLSTimeout, o.TLSTimeout)
	setDur(&r.TCPKeepAlive, o.TCPKeepAlive)
	set(&r.NoHappyEyeballs, o.NoHappyEyeballs)
	set(&r.KeepAliveConnections, o.KeepAliveConnections)
	setDur(&r.KeepAliveTimeout, o.KeepAliveTimeout)
	set(&r.HTTPHostHeader, o.HTTPHostHeader)
	set(&r.OriginServerName, o.OriginServerName)
	set(&r.MatchSNIToHost, o.MatchSNIToHost)
	set(&r.CAPool, o.CAPool)
	set(&r.NoTLSVerify, o.NoTLSVerify)
	set(&r.DisableChunkedEncoding, o.DisableChunkedEncoding)
	set(&r.BastionMode, o.BastionMode)
	set(&r.ProxyAddress, o.ProxyAddress)
	set(&r.ProxyPort, o.ProxyPort)
	set(&r.ProxyType, o.ProxyType)
	if len(o.IPRules) > 0 { // an empty list does not override (config.go setIPRules)
		r.IPRules = append([]IPRule(nil), o.IPRules...)
	}
	set(&r.HTTP2Origin, o.HTTP2Origin)
	if o.Access != nil {
		a := *o.Access
		r.Access = &a
	}
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func setDur(dst *time.Duration, v *Duration) {
	if v != nil {
		*dst = v.Duration
	}
}

// WarpRoutingResolved is the warp-routing section with defaults applied.
type WarpRoutingResolved struct {
	ConnectTimeout time.Duration
	MaxActiveFlows uint64 // 0 = unlimited
	TCPKeepAlive   time.Duration
}

// EffectiveWarpRouting applies cloudflared's warp-routing defaults.
func (c *Config) EffectiveWarpRouting() WarpRoutingResolved {
	w := WarpRoutingResolved{ConnectTimeout: DefaultWarpConnectTimeout, TCPKeepAlive: DefaultTCPKeepAlive}
	setDur(&w.ConnectTimeout, c.WarpRouting.ConnectTimeout)
	set(&w.MaxActiveFlows, c.WarpRouting.MaxActiveFlows)
	setDur(&w.TCPKeepAlive, c.WarpRouting.TCPKeepAlive)
	return w
}
