package probe

import (
	"net"
	"strconv"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// NotProbed is a rule that has no origin to reach (http_status, hello_world,
// bastion, socks-proxy) or whose service cannot be parsed.
type NotProbed struct {
	Rule    int    `json:"rule"`
	Service string `json:"service"`
	Reason  string `json:"reason"`
}

// Targets turns every rule of a configuration into a probe target with the
// rule's effective originRequest. Rules without an origin are listed apart.
func Targets(cfg *tunnelcfg.Config) ([]Target, []NotProbed) {
	if cfg == nil {
		return nil, nil
	}
	var out []Target
	var skipped []NotProbed
	for i, rule := range cfg.Rules {
		eff := cfg.Effective(i)
		t, reason := serviceTarget(rule.Service)
		if reason == "" && eff.BastionMode {
			reason = "bastion mode: the destination comes from each client"
		}
		if reason != "" {
			skipped = append(skipped, NotProbed{Rule: i, Service: rule.Service, Reason: reason})
			continue
		}
		t.Rule, t.Hostname, t.Service = i, rule.Hostname, rule.Service
		t.ConnectTimeout, t.TLSTimeout = eff.ConnectTimeout, eff.TLSTimeout
		t.NoHappyEyeballs = eff.NoHappyEyeballs
		t.OriginServerName, t.MatchSNIToHost = eff.OriginServerName, eff.MatchSNIToHost
		t.CAPool, t.NoTLSVerify = eff.CAPool, eff.NoTLSVerify
		t.HTTP2Origin, t.HTTPHostHeader = eff.HTTP2Origin, eff.HTTPHostHeader
		out = append(out, t)
	}
	return out, skipped
}

// serviceTarget says how to reach a service, or why there is nothing to
// reach. Timeouts and TLS settings are left for the caller.
func serviceTarget(raw string) (Target, string) {
	svc, err := tunnelcfg.ParseService(raw)
	if err != nil {
		return Target{}, "invalid service: " + err.Error()
	}
	t := Target{Kind: KindHTTP, TLS: svc.UsesTLS()}
	switch svc.Kind {
	case tunnelcfg.ServiceUnix, tunnelcfg.ServiceUnixTLS:
		t.Network, t.Address = "unix", svc.UnixPath
		return t, ""
	case tunnelcfg.ServiceHTTP:
	case tunnelcfg.ServiceTCP:
		t.Kind = KindTCP
	case tunnelcfg.ServiceHTTPStatus:
		return Target{}, "answered by cloudflared itself (http_status)"
	case tunnelcfg.ServiceHelloWorld:
		return Target{}, "cloudflared's built-in hello_world server"
	default:
		return Target{}, "no fixed origin (" + string(svc.Kind) + ")"
	}
	if svc.Port <= 0 {
		return Target{}, "no port for scheme " + svc.Scheme
	}
	t.Network, t.Host = "tcp", svc.Host
	t.Address = net.JoinHostPort(svc.Host, strconv.Itoa(svc.Port))
	return t, ""
}
