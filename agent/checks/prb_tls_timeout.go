package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// tlsTimeout: the TLS handshake does not complete in time.
func tlsTimeout() agent.Check {
	c := agent.Check{
		Code:     "PRB007",
		Title:    "TLS handshake with the origin times out",
		Hop:      agent.HopProtocol,
		Severity: agent.Error,
		Explain: "The origin accepted the TCP connection but did not complete a TLS handshake within " +
			"originRequest.tlsTimeout (10s by default): cloudflared logs \"net/http: TLS handshake timeout\" " +
			"and visitors get 502. Usually the port does not speak TLS first (a plain service that waits for " +
			"the client, or one expecting a PROXY header), or the origin is overloaded.",
		Fix:   "Point the https:// service at the origin's TLS port; raise tlsTimeout only for a slow but working origin.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runTLSTimeout(c, s) }
	return c
}

func runTLSTimeout(c agent.Check, s *agent.Snapshot) []agent.Finding {
	return phaseTimeouts(c, s, probe.PhaseTLS, probe.CauseTLSHandshakeTimeo, func(r probe.Result) (string, string) {
		t := r.Target
		fix := fmt.Sprintf("Check that %s is the origin's TLS port (try the service with http:// if it is plain HTTP). "+
			"Only if the origin is just slow:\n%s", targetAddress(t), ruleYAML(t, t.Service, "tlsTimeout: "+(3*t.TLSTimeout).String()))
		if r.CutShort {
			return fmt.Sprintf("%s: the TLS handshake with %s did not finish within tunneldoctor's %s probe limit; cloudflared waits tlsTimeout %s.",
				ruleName(t), targetAddress(t), r.Limit, t.TLSTimeout), fix
		}
		return fmt.Sprintf("%s: %s accepted the connection but did not finish a TLS handshake within tlsTimeout %s: cloudflared gives up and visitors get 502.",
			ruleName(t), targetAddress(t), t.TLSTimeout), fix
	})
}
