package checks

import (
	"fmt"
	"net/url"
	"sort"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
)

// tunOriginErrors: cloudflared's own recent "Unable to reach the origin
// service" lines, one finding per ingress rule, so the 502s visitors really
// got show beside the diagnosis.
func tunOriginErrors() agent.Check {
	c := agent.Check{
		Code:     "TUN010",
		Title:    "cloudflared recently failed to reach an origin",
		Hop:      agent.HopTunnel,
		Severity: agent.Warn,
		Explain: "For every request it cannot proxy, cloudflared logs \"Unable to reach the origin service. The " +
			"service may be down or it may not be responding to traffic from cloudflared: <cause>\" with the rule " +
			"(ingressRule) and service, and the visitor gets a 502. These are real failures from cloudflared's " +
			"recent log, grouped by rule with the latest cause; the probe and network findings say whether it still fails.",
		Fix:   "Fix what the cause names (see the finding), then check the rule's probe finding.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runOriginErrors(c, s) }
	return c
}

type ruleErrors struct {
	rule        int
	service     string
	count       int
	first, last cloudflared.Event
}

func runOriginErrors(c agent.Check, s *agent.Snapshot) []agent.Finding {
	f := &s.Cloudflared
	byRule := map[int]*ruleErrors{}
	for _, e := range f.Events {
		if e.Kind != cloudflared.KindOriginError {
			continue
		}
		r := byRule[e.Rule]
		if r == nil {
			r = &ruleErrors{rule: e.Rule, service: e.OriginService, first: e}
			byRule[e.Rule] = r
		}
		r.count++
		r.last = e
	}
	rules := make([]int, 0, len(byRule))
	for k := range byRule {
		rules = append(rules, k)
	}
	sort.Ints(rules)
	var out []agent.Finding
	for _, i := range rules {
		r := byRule[i]
		host := liveHostname(s, i)
		name := fmt.Sprintf("rule #%d", i)
		if host != "" {
			name += " (" + host + ")"
		}
		msg := fmt.Sprintf("cloudflared could not reach %s for %s %d time(s) in its last %d log lines; latest: %s.",
			r.service, name, r.count, f.LogLines, r.last.Cause)
		fd := c.Finding(agent.Warn, msg)
		fd.Rule, fd.Hostname, fd.Service = i, host, r.service
		fd.Fix = originCauseFix(r.last.CauseKind, r.service)
		fd.Evidence = map[string]string{
			"cause":      r.last.Cause,
			"cause_kind": r.last.CauseKind,
			"count":      fmt.Sprint(r.count),
			"log_line":   r.last.Line,
		}
		if !r.last.Time.IsZero() {
			fd.Evidence["last_seen"] = r.last.Time.UTC().Format("2006-01-02T15:04:05Z")
			fd.Evidence["first_seen"] = r.first.Time.UTC().Format("2006-01-02T15:04:05Z")
		}
		if f.Container != "" {
			fd.Evidence["container"] = f.Container
		}
		out = append(out, fd)
	}
	return out
}

// liveHostname is the hostname of rule i in the configuration cloudflared
// runs (cloudflared's ingressRule indexes it).
func liveHostname(s *agent.Snapshot, i int) string {
	cfg := s.Cloudflared.Config
	if cfg == nil {
		cfg = s.Ingress.Config
	}
	if cfg == nil || i < 0 || i >= len(cfg.Rules) {
		return ""
	}
	return cfg.Rules[i].Hostname
}

// originCauseFix names the usual fix for an origin error's cause.
func originCauseFix(kind, service string) string {
	host := service
	if u, err := url.Parse(service); err == nil && u.Host != "" {
		host = u.Host
	}
	switch kind {
	case cloudflared.OriginCauseRefused:
		if h := hostOnly(host); isLoopbackBind(h) || h == "localhost" {
			return fmt.Sprintf("%s is cloudflared's own container, not the origin's. Use the origin container's name on a network both share, "+
				"e.g. `service: http://<origin-container>:<port>`.", host)
		}
		return fmt.Sprintf("Nothing accepted the connection at %s: use the port the app listens on, and make it listen on 0.0.0.0 inside its container.", host)
	case cloudflared.OriginCauseDNS:
		return fmt.Sprintf("%s does not resolve from cloudflared. Put cloudflared and the origin on one user-defined network "+
			"(`docker network connect <network> <cloudflared>`, or a shared `networks:` entry in compose) and use the container or service name.", hostOnly(host))
	case cloudflared.OriginCauseNotTLS:
		return fmt.Sprintf("The origin speaks plain HTTP on %s: use `service: http://%s`.", host, host)
	case cloudflared.OriginCauseUnknownAuthority:
		return "The origin's certificate is not signed by a CA cloudflared trusts. Add it: `originRequest: {caPool: /path/to/ca.pem}`; " +
			"`noTLSVerify: true` only as the last resort."
	case cloudflared.OriginCauseNameMismatch, cloudflared.OriginCauseNoIPSANs:
		return "The origin's certificate does not name the host in the service URL. Set `originRequest: {originServerName: <a name in the certificate>}`, " +
			"or use that name in the service URL."
	case cloudflared.OriginCauseExpired:
		return "The origin's certificate has expired (or is not yet valid): renew it."
	case cloudflared.OriginCauseTLSTimeout, cloudflared.OriginCauseTimeout, cloudflared.OriginCauseNoRoute:
		return fmt.Sprintf("%s did not answer in time: a wrong IP, a firewall, or an app too busy to accept. Check the address and that the origin is up.", host)
	case cloudflared.OriginCauseEOF, cloudflared.OriginCauseReset:
		return fmt.Sprintf("%s closed the connection: the app may crash on requests, or expect another protocol (https:// instead of http://).", host)
	case cloudflared.OriginCauseUnixSocketMissing:
		return "The unix socket does not exist in cloudflared's container: mount the socket's directory into cloudflared."
	}
	return "See the cause; the protocol findings for this rule show what a live probe sees now."
}

func hostOnly(hostport string) string {
	if u, err := url.Parse("//" + hostport); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return hostport
}
