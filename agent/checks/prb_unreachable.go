package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// unreachable: the probe failed for a reason no other protocol check names
// (DNS, reset, EOF, a missing unix socket...). The network checks explain
// DNS and topology from Docker's side; this one quotes what the probe saw.
func unreachable() agent.Check {
	c := agent.Check{
		Code:     "PRB013",
		Title:    "Origin probe failed",
		Hop:      agent.HopProtocol,
		Severity: agent.Error,
		Explain: "tunneldoctor reached for the origin the way cloudflared does and failed: the name did not " +
			"resolve, the origin reset or closed the connection without answering, or the unix socket is " +
			"missing. cloudflared fails the same way and visitors get 502. With cloudflared on the host, a container " +
			"name it cannot resolve is NET031's, and a stopped origin container (whose name Docker's DNS drops) is ORG001's: " +
			"this finding then only quotes the probe, at info.",
		Fix:   "Follow the cause in the finding: a name on a network cloudflared shares, an origin that answers HTTP, a socket mounted into cloudflared.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runUnreachable(c, s) }
	return c
}

func runUnreachable(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		what, fix := unreachableText(r)
		if what == "" {
			continue
		}
		if f, ok := deferredProbe(c, s, r, what); ok {
			out = append(out, f)
			continue
		}
		t := r.Target
		// Observed from cloudflared's namespace, a failure is what visitors
		// get: always an error, whatever the Docker facts add. From another
		// namespace it is unknown whether cloudflared fails the same way.
		sev := agent.Error
		msg := fmt.Sprintf("%s: %s%s.", ruleName(t), what, notCloudflaredView(s))
		if r.Cause == probe.CauseDNSNotFound && !isLoopback(t.Host) && networkExplains(s, r) {
			msg += " The network findings (NET) or origin findings (ORG) for this rule say why and how to fix it."
		}
		if unobserved(s, r) {
			sev = agent.Info
			msg = fmt.Sprintf("%s: %s from tunneldoctor's own network namespace; whether cloudflared fails the same way is unknown%s.",
				ruleName(t), what, dockerSees(s, t.Host))
			fix = unobservedFix(s)
		}
		out = append(out, probeFinding(c, sev, s, r, msg, fix))
	}
	return out
}

// unreachableText describes the causes the other PRB checks do not cover;
// "" means another check owns this result (or it succeeded).
func unreachableText(r probe.Result) (what, fix string) {
	t := r.Target
	switch r.Cause {
	case probe.CauseDNSNotFound:
		return fmt.Sprintf("the name %q does not resolve (no such host)", t.Host),
			"Use the origin container's name (or a network alias) on a Docker network cloudflared is attached to; see the NET findings for which networks."
	case probe.CauseDNSFailure:
		return fmt.Sprintf("looking up %q failed: %s", t.Host, r.Error),
			"Check the DNS server of cloudflared's container (Docker's embedded DNS at 127.0.0.11 on user-defined networks)."
	case probe.CauseReset:
		return fmt.Sprintf("%s reset the connection (%s phase)", targetAddress(t), r.Phase),
			"The origin or something in front of it (a firewall, a proxy expecting a PROXY header or TLS) drops the connection: check its logs and that the service's scheme and port are right."
	case probe.CauseEOF:
		return fmt.Sprintf("%s closed the connection without answering (%s phase)", targetAddress(t), r.Phase),
			"The origin accepted and hung up: it may crash per request, speak another protocol on that port, or require TLS. Check its logs and the service's scheme and port."
	case probe.CauseUnixSocketMissing:
		return fmt.Sprintf("no unix socket at %s", t.Address),
			"Mount the socket's directory into cloudflared's container (volumes: - /run/app:/run/app) and check the app creates the socket at that path."
	case probe.CausePermission:
		return fmt.Sprintf("permission denied on %s", targetAddress(t)),
			"Let cloudflared's user (65532 in the official image) read and write the socket: adjust its mode or group."
	case probe.CauseMalformedResponse:
		return fmt.Sprintf("%s answered something that is not HTTP: %s", targetAddress(t), r.Error),
			"Point the rule at the origin's HTTP port; for a non-HTTP service use a tcp:// or ssh:// service with cloudflared access."
	case probe.CauseTLSAlert:
		return fmt.Sprintf("%s aborted the TLS handshake: %s", targetAddress(t), r.Error),
			"The origin refused cloudflared's TLS hello: it may require a client certificate or another server name (set originServerName), or support only old TLS versions."
	case probe.CauseOther:
		return fmt.Sprintf("the probe of %s failed: %s", targetAddress(t), r.Error),
			"Check the origin's logs and that the service URL is right."
	case probe.CauseTimeout:
		if r.Phase == probe.PhaseDNS {
			return fmt.Sprintf("looking up %q timed out", t.Host),
				"Check the DNS server of cloudflared's container."
		}
	}
	return "", ""
}
