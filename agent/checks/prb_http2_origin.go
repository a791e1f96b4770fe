package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// http2Origin: http2Origin is set but the origin does not speak HTTP/2.
func http2Origin() agent.Check {
	c := agent.Check{
		Code:     "PRB010",
		Title:    "http2Origin set but the origin does not speak HTTP/2",
		Hop:      agent.HopProtocol,
		Severity: agent.Warn,
		Explain: "originRequest.http2Origin makes cloudflared offer HTTP/2 in the TLS handshake (ALPN). An " +
			"origin that does not accept it is spoken to in HTTP/1.1, so what needs HTTP/2 (gRPC) fails; " +
			"over plain http:// cloudflared never uses HTTP/2 at all.",
		Fix:   "Enable HTTP/2 on the origin's TLS listener, or remove http2Origin: true if nothing needs it.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runHTTP2Origin(c, s) }
	return c
}

func runHTTP2Origin(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		t := r.Target
		if !t.HTTP2Origin || r.HTTP == nil || r.HTTP.Proto == "HTTP/2.0" {
			continue
		}
		var msg, fix string
		if !t.TLS {
			msg = fmt.Sprintf("%s sets http2Origin: true on %s, but cloudflared only negotiates HTTP/2 over TLS: it speaks %s to this origin.",
				ruleName(t), t.Service, r.HTTP.Proto)
			fix = "Serve the origin over TLS with HTTP/2 and use:\n" + ruleYAML(t, swapScheme(t.Service, true), "http2Origin: true") +
				"\nor remove http2Origin: true if nothing needs HTTP/2."
		} else {
			alpn := "no protocol"
			if r.TLS != nil && r.TLS.ALPN != "" {
				alpn = fmt.Sprintf("%q", r.TLS.ALPN)
			}
			msg = fmt.Sprintf("%s sets http2Origin: true but %s chose %s in the TLS handshake: cloudflared falls back to %s.",
				ruleName(t), targetAddress(t), alpn, r.HTTP.Proto)
			fix = "Enable HTTP/2 (ALPN h2) on the origin's TLS listener (nginx: `listen 443 ssl; http2 on;`), " +
				"or remove http2Origin: true from the rule if nothing needs HTTP/2."
		}
		out = append(out, probeFinding(c, agent.Warn, s, r, msg, fix))
	}
	return out
}
