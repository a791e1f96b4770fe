package checks

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Helpers shared by the protocol-hop checks (prb_*.go).

// probeFinding starts a finding about one probe: the rule it is about and
// the evidence every probe finding carries.
func probeFinding(c agent.Check, sev agent.Severity, s *agent.Snapshot, r probe.Result, msg, fix string) agent.Finding {
	f := c.Finding(sev, msg)
	f.Rule, f.Hostname, f.Service = r.Target.Rule, r.Target.Hostname, r.Target.Service
	f.Fix = fix
	f.Evidence = probeEvidence(s, r)
	if note := replicaNote(s, r, f.Evidence); note != "" {
		f.Message += note
	}
	return f
}

func probeEvidence(s *agent.Snapshot, r probe.Result) map[string]string {
	e := map[string]string{
		"probed_from": vantageText(s.Probes.Vantage),
		"origin":      targetAddress(r.Target),
		"probe_time":  ms(r.Total),
	}
	if r.Error != "" {
		e["error"], e["cause"], e["phase"] = r.Error, string(r.Cause), string(r.Phase)
	}
	if r.CutShort {
		e["stopped_by"] = fmt.Sprintf("tunneldoctor's probe limit (%s), before cloudflared's own timeout", r.Limit)
	}
	if r.DNS != nil {
		e["dns"] = fmt.Sprintf("%s -> [%s] in %s", r.DNS.Host, strings.Join(r.DNS.Addresses, " "), ms(r.DNS.Duration))
	}
	if r.Connect != nil && r.Connect.Address != "" {
		e["connect"] = fmt.Sprintf("%s in %s", r.Connect.Address, ms(r.Connect.Duration))
	}
	if t := r.TLS; t != nil {
		e["tls_server_name"] = t.ServerName
		if t.Done {
			e["tls"] = fmt.Sprintf("%s, ALPN %q, in %s", t.Version, t.ALPN, ms(t.Duration))
		}
	}
	if h := r.HTTP; h != nil {
		e["status"] = fmt.Sprintf("%d (%s)", h.Status, h.Proto)
		e["first_byte"] = ms(h.TTFB)
		if v := h.Headers["Server"]; v != "" {
			e["server"] = v
		}
	}
	return e
}

func vantageText(v string) string {
	switch v {
	case agent.VantageCloudflared:
		return "cloudflared's network namespace (what cloudflared sees)"
	case agent.VantageOwn:
		return "tunneldoctor's own network namespace, not cloudflared's: names and routes may differ"
	}
	return "tunneldoctor's network namespace (whether it is cloudflared's is unknown)"
}

// notCloudflaredView is a sentence to append when the probe may not have
// seen what cloudflared sees.
func notCloudflaredView(s *agent.Snapshot) string {
	if s.Probes.Vantage == agent.VantageCloudflared {
		return ""
	}
	return " (probed from tunneldoctor's namespace; run it with network_mode: \"service:cloudflared\" to see exactly what cloudflared sees)"
}

func targetAddress(t probe.Target) string {
	if t.Network == "unix" {
		return "unix:" + t.Address
	}
	return t.Address
}

// ruleName names a rule for messages: "rule #2 (app.example.com)".
func ruleName(t probe.Target) string {
	h := t.Hostname
	if h == "" {
		h = "catch-all"
	}
	return fmt.Sprintf("rule #%d (%s)", t.Rule, h)
}

// ruleYAML renders the rule as it should read after the fix, for Fix texts:
// service and originRequest lines given as "key: value".
func ruleYAML(t probe.Target, service string, originRequest ...string) string {
	var b strings.Builder
	b.WriteString("ingress:\n")
	if t.Hostname != "" {
		fmt.Fprintf(&b, "  - hostname: %s\n    service: %s\n", t.Hostname, service)
	} else {
		fmt.Fprintf(&b, "  - service: %s\n", service)
	}
	if len(originRequest) > 0 {
		b.WriteString("    originRequest:\n")
		for _, l := range originRequest {
			fmt.Fprintf(&b, "      %s\n", l)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// swapScheme turns a service to or from its TLS form, keeping host and port:
// http<->https, ws<->wss, unix:<->unix+tls:.
func swapScheme(service string, toTLS bool) string {
	pairs := [][2]string{{"http://", "https://"}, {"ws://", "wss://"}, {"unix:", "unix+tls:"}}
	lower := strings.ToLower(service)
	for _, p := range pairs {
		from, to := p[1], p[0]
		if toTLS {
			from, to = p[0], p[1]
		}
		if strings.HasPrefix(lower, from) {
			return to + service[len(from):]
		}
	}
	return service
}

// results returns the probe results, in rule order.
func results(s *agent.Snapshot) []probe.Result {
	out := append([]probe.Result(nil), s.Probes.Results...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Target.Rule < out[j].Target.Rule })
	return out
}

func ms(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(time.Millisecond).String()
	}
	return d.String()
}

func days(d time.Duration) int { return int(d.Hours() / 24) }

// originContainer is the running container host reaches from cloudflared's
// namespace, when the Docker facts know it (nil otherwise, or for
// cloudflared itself).
func originContainer(s *agent.Snapshot, host string) *dockernet.Container {
	d := s.Docker
	if !d.Available() || d.Topology == nil || d.Cloudflared == nil || host == "" {
		return nil
	}
	for _, a := range d.Topology.Resolve(d.Cloudflared, host).Running() {
		if a.Container != nil && a.Container.ID != d.Cloudflared.ID {
			return a.Container
		}
	}
	return nil
}

// until says how far off a moment is, in days when it is days away.
func until(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", days(d))
	}
	return d.Round(time.Hour).String()
}

// networkExplains reports whether the Docker facts already explain why host
// fails from cloudflared, so a NET or ORG finding carries the fix: no
// container answers the name on cloudflared's networks, one answers only on
// networks cloudflared is not on, the ones that answer there are not running,
// or the host is cloudflared's own loopback. The protocol finding then only
// quotes the probe, at info. In host mode (cloudflared on the host) the
// host-mode findings answer it, by rule: hostExplains.
func networkExplains(s *agent.Snapshot, r probe.Result) bool {
	if s.HostMode() {
		return hostExplains(s, r) != ""
	}
	host := r.Target.Host
	d := s.Docker
	if !d.Available() || d.Topology == nil || d.Cloudflared == nil || host == "" {
		return false
	}
	if isLoopback(host) {
		return d.Cloudflared.NetworkMode != "host"
	}
	res := d.Topology.Resolve(d.Cloudflared, host)
	if len(res.Answers) > 0 {
		// A container on cloudflared's networks is the origin: namesakes
		// elsewhere explain nothing; a stopped origin is ORG's to explain.
		return len(res.Running()) == 0
	}
	return res.Kind == dockernet.ResolveUpstream || len(res.Elsewhere) > 0
}

// deferredProbe is the probe finding when another finding already says
// why the probe failed and how to fix it (explainedBy): info, quoting what
// the probe saw and naming the finding that carries the fix, so the rule
// has one error with one fix. what is the failure ("connection refused on
// localhost:7000").
func deferredProbe(c agent.Check, s *agent.Snapshot, r probe.Result, what string) (agent.Finding, bool) {
	code := explainedBy(s, r)
	if code == "" {
		return agent.Finding{}, false
	}
	where := notCloudflaredView(s)
	if s.HostMode() {
		where = ", probed from the host where cloudflared runs"
	}
	msg := fmt.Sprintf("%s: %s%s; %s for this rule says why and how to fix it.", ruleName(r.Target), what, where, code)
	f := probeFinding(c, agent.Info, s, r, msg, "Apply the fix of "+code+" for this rule.")
	f.Evidence["explained_by"] = code
	return f, true
}

// explainedBy names the check whose finding already explains the rule's
// failed probe: hostExplains with cloudflared on the host, originExplains
// with cloudflared in a container. "" when none does.
func explainedBy(s *agent.Snapshot, r probe.Result) string {
	if s.HostMode() {
		return hostExplains(s, r)
	}
	return originExplains(s, r)
}

// originExplains is "ORG001" when the rule's name fails to resolve from
// cloudflared because every container answering it on cloudflared's
// networks is stopped (exited, dead, created, removing): Docker's DNS drops
// a stopped container's name, and ORG001 reports it with its fix. "" for
// any other failure, or when a container answering it runs.
func originExplains(s *agent.Snapshot, r probe.Result) string {
	if r.Cause != probe.CauseDNSNotFound && r.Cause != probe.CauseDNSFailure {
		return ""
	}
	for _, t := range netTargets(s) {
		if t.rule.Index != r.Target.Rule || len(t.res.Answers) == 0 || len(t.res.Running()) > 0 {
			continue
		}
		for _, c := range answerContainers(t.res.Answers) {
			if c.ID != s.Docker.Cloudflared.ID && exitedState(c.State) {
				return "ORG001"
			}
		}
	}
	return ""
}

// phaseTimeouts reports the results that ran out of time in phase (its own
// timeout cause or the generic one). Error, or Warn when tunneldoctor's probe
// limit cut the wait shorter than cloudflared's; text gives message and fix.
func phaseTimeouts(c agent.Check, s *agent.Snapshot, phase probe.Phase, cause probe.Cause, text func(r probe.Result) (msg, fix string)) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		if r.Phase != phase || (r.Cause != cause && r.Cause != probe.CauseTimeout) {
			continue
		}
		sev := agent.Error
		if r.CutShort {
			sev = agent.Warn
		}
		msg, fix := text(r)
		if unobserved(s, r) {
			// Outside cloudflared's namespace, with Docker showing the
			// origin on a network cloudflared is on: unknown, not a fault.
			sev = agent.Info
			msg = strings.TrimSuffix(msg, ".") + "; the probe ran outside cloudflared's network namespace, so whether cloudflared times out too is unknown" + dockerSees(s, r.Target.Host) + "."
			fix = unobservedFix(s)
		}
		out = append(out, probeFinding(c, sev, s, r, msg, fix))
	}
	return out
}
