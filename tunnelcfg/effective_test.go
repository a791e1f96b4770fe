package tunnelcfg

import (
	"testing"
	"time"
)

func TestEffectivePrecedence(t *testing.T) {
	c, ps := Parse([]byte(`
originRequest:
  connectTimeout: 10s
  noTLSVerify: true
  httpHostHeader: top.example
  ipRules:
    - prefix: 10.0.0.0/8
ingress:
  - hostname: a.example.com
    service: https://a:443
    originRequest:
      connectTimeout: 2s
      noTLSVerify: false
      keepAliveConnections: 5
  - hostname: b.example.com
    service: bastion
  - service: http_status:404
`), "x.yml")
	if len(ps) != 0 {
		t.Fatalf("problems: %+v", ps)
	}
	a := c.Effective(0)
	if a.ConnectTimeout != 2*time.Second || a.NoTLSVerify || a.KeepAliveConnections != 5 || a.HTTPHostHeader != "top.example" {
		t.Errorf("rule over top level: %+v", a)
	}
	if a.TLSTimeout != DefaultTLSTimeout || a.TCPKeepAlive != DefaultTCPKeepAlive || a.KeepAliveTimeout != DefaultKeepAliveTimeout || a.ProxyAddress != "127.0.0.1" {
		t.Errorf("defaults: %+v", a)
	}
	if len(a.IPRules) != 1 {
		t.Errorf("top-level ipRules inherited: %+v", a.IPRules)
	}
	b := c.Effective(1)
	if b.ConnectTimeout != 10*time.Second || !b.NoTLSVerify || !b.BastionMode {
		t.Errorf("top level over default, bastion service: %+v", b)
	}
	if d := (&Config{}).Effective(-1); d.ConnectTimeout != 30*time.Second || d.KeepAliveConnections != 100 || d.KeepAliveTimeout != 90*time.Second {
		t.Errorf("pure defaults: %+v", d)
	}
	w := c.EffectiveWarpRouting()
	if w.ConnectTimeout != 5*time.Second || w.TCPKeepAlive != 30*time.Second || w.MaxActiveFlows != 0 {
		t.Errorf("warp defaults: %+v", w)
	}
}
