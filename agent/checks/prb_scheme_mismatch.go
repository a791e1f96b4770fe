package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// schemeMismatch: the rule's scheme disagrees with what the port speaks.
func schemeMismatch() agent.Check {
	c := agent.Check{
		Code:     "PRB001",
		Title:    "Service scheme does not match the origin port",
		Hop:      agent.HopProtocol,
		Severity: agent.Error,
		Explain: "An https:// rule pointed at a plain-HTTP port fails cloudflared's TLS handshake " +
			"(\"first record does not look like a TLS handshake\") and visitors get 502. An http:// rule " +
			"pointed at a TLS port gets the origin's own 400 (\"Client sent an HTTP request to an HTTPS " +
			"server\", nginx's \"The plain HTTP request was sent to HTTPS port\"), which cloudflared passes on.",
		Fix:   "Use the scheme the port speaks in the rule's service: http:// for plain HTTP, https:// for TLS.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runSchemeMismatch(c, s) }
	return c
}

func runSchemeMismatch(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		t := r.Target
		switch {
		case t.TLS && r.Cause == probe.CauseTLSToPlain:
			fixed := swapScheme(t.Service, false)
			msg := fmt.Sprintf("%s uses %s but %s speaks plain HTTP: cloudflared's TLS handshake fails and visitors get 502.",
				ruleName(t), t.Service, targetAddress(t))
			out = append(out, probeFinding(c, agent.Error, s, r, msg,
				"Speak plain HTTP to it:\n"+ruleYAML(t, fixed)))
		case !t.TLS && (r.Cause == probe.CausePlainToTLS || r.HTTP != nil && r.HTTP.PlainToTLS != ""):
			fixed := swapScheme(t.Service, true)
			answer := "a TLS alert"
			if r.HTTP != nil && r.HTTP.PlainToTLS != "" {
				answer = fmt.Sprintf("400 %q", r.HTTP.PlainToTLS)
			}
			msg := fmt.Sprintf("%s uses %s but %s speaks TLS: it answers %s, which visitors see.",
				ruleName(t), t.Service, targetAddress(t), answer)
			f := probeFinding(c, agent.Error, s, r, msg,
				"Speak TLS to it:\n"+ruleYAML(t, fixed)+
					"\nIf its certificate is not valid for "+hostOr(t)+", tunneldoctor will then say which originServerName or caPool it needs.")
			if r.HTTP != nil {
				f.Evidence["body_sample"] = clip(r.HTTP.BodySample, 200)
			}
			out = append(out, f)
		}
	}
	return out
}

func hostOr(t probe.Target) string {
	if t.Host != "" {
		return t.Host
	}
	return t.HostHeader()
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
