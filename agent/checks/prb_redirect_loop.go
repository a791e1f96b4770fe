package checks

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// redirectLoop: an http:// origin redirects to https:// on the same host.
func redirectLoop() agent.Check {
	c := agent.Check{
		Code:     "PRB011",
		Title:    "Origin redirects HTTP to HTTPS on its own hostname (redirect loop)",
		Hop:      agent.HopProtocol,
		Severity: agent.Error,
		Explain: "The visitor already uses https:// at Cloudflare; cloudflared then speaks plain http:// to " +
			"the origin, which redirects to https:// on the same hostname. The visitor follows, arrives the " +
			"same way, and is redirected again: ERR_TOO_MANY_REDIRECTS.",
		Fix:   "Let the origin trust X-Forwarded-Proto: https (sent through the tunnel) instead of redirecting, or point the rule at the origin's HTTPS port.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runRedirectLoop(c, s) }
	return c
}

func runRedirectLoop(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		t := r.Target
		if t.TLS || r.HTTP == nil || !isRedirect(r.HTTP.Status) {
			continue
		}
		loc := r.HTTP.Headers["Location"]
		if !sameHostHTTPS(loc, t) {
			continue
		}
		msg := fmt.Sprintf("%s: %s answers %d with Location: %s, but visitors already arrive over HTTPS: they loop (ERR_TOO_MANY_REDIRECTS).",
			ruleName(t), t.Service, r.HTTP.Status, loc)
		fix := "Make the origin honour X-Forwarded-Proto: https instead of redirecting (e.g. Django SECURE_PROXY_SSL_HEADER, " +
			"Express `app.set('trust proxy', true)`, nginx: redirect only when $http_x_forwarded_proto != \"https\"), " +
			"or, if it also serves HTTPS (443 assumed here), speak HTTPS to it directly:\n" + ruleYAML(t, swapScheme(withPort(t, "443"), true), "originServerName: "+hostForRedirect(t))
		f := probeFinding(c, agent.Error, s, r, msg, fix)
		f.Evidence["location"] = loc
		out = append(out, f)
	}
	return out
}

func isRedirect(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// sameHostHTTPS reports whether loc sends the visitor to https:// on the
// host they asked for (the Host cloudflared sent).
func sameHostHTTPS(loc string, t probe.Target) bool {
	u, err := url.Parse(loc)
	if err != nil || !strings.EqualFold(u.Scheme, "https") {
		return false
	}
	host := u.Hostname()
	for _, h := range []string{t.Hostname, t.HostHeader()} {
		if h != "" && strings.EqualFold(host, h) {
			return true
		}
	}
	return false
}

func hostForRedirect(t probe.Target) string {
	if t.Hostname != "" {
		return t.Hostname
	}
	return t.HostHeader()
}

// withPort rewrites the service's port (for suggesting the HTTPS port).
func withPort(t probe.Target, port string) string {
	if t.Network != "tcp" || t.Host == "" {
		return t.Service
	}
	scheme := t.Service[:strings.Index(t.Service, "://")+3]
	return scheme + net.JoinHostPort(t.Host, port)
}
