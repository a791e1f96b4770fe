package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingHTTP2Plain: http2Origin on a plain-HTTP origin.
func ingHTTP2Plain() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING027",
		Title:    "http2Origin on a plain-HTTP origin",
		Severity: agent.Info,
		Explain:  "cloudflared negotiates HTTP/2 with the origin only over TLS; with an http:// service it speaks HTTP/1.1, so an h2c-only server (plain gRPC) fails.",
		Fix:      "Serve TLS on the origin and use https://, or remove http2Origin.",
	}, tunnelcfg.KindHTTP2OriginWithoutTLS)
}
