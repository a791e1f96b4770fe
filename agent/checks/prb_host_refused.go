package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// hostRefused: the origin refuses the Host header cloudflared sends (the
// public hostname), as dev servers and web frameworks with a host allow-list
// do.
func hostRefused() agent.Check {
	c := agent.Check{
		Code:     "PRB015",
		Title:    "Origin refuses the public hostname as Host",
		Hop:      agent.HopProtocol,
		Severity: agent.Error,
		Explain: "cloudflared sends the visitor's hostname as the Host header (unless httpHostHeader is set). Apps " +
			"with a host allow-list refuse a name they were not told about: Vite answers 403 \"Blocked request. This " +
			"host is not allowed\", Django 400 \"Invalid HTTP_HOST header\" (DisallowedHost), Nextcloud \"Access " +
			"through untrusted domain\", webpack-dev-server \"Invalid Host header\", and Home Assistant 400 to a " +
			"forwarded request from a proxy it does not trust. Visitors get that page; the tunnel works.",
		Fix: "Add the public hostname to the app's allow-list (Vite server.allowedHosts, Django ALLOWED_HOSTS, " +
			"Nextcloud trusted_domains, Home Assistant http: use_x_forwarded_for/trusted_proxies), or set " +
			"originRequest.httpHostHeader to a name the app accepts.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runHostRefused(c, s) }
	return c
}

// hostApp is an app recognised by how it refuses a Host.
type hostApp struct {
	name   string
	marks  []string // any of these in the body (case-insensitive)
	fix    func(public string) string
	byHost bool // the app refuses by Host (false: by forwarding proxy)
}

var hostApps = []hostApp{
	{name: "Vite", marks: []string{"blocked request. this host"}, byHost: true, fix: func(h string) string {
		return fmt.Sprintf("in vite.config.js (or .ts):\nexport default defineConfig({\n  server: { allowedHosts: ['%s'] },\n})\n(preview server: preview.allowedHosts)", h)
	}},
	{name: "Django", marks: []string{"invalid http_host header", "disallowedhost"}, byHost: true, fix: func(h string) string {
		return fmt.Sprintf("in settings.py:\nALLOWED_HOSTS = ['%s']\nand, for forms over https, CSRF_TRUSTED_ORIGINS = ['https://%s']", h, h)
	}},
	{name: "Nextcloud", marks: []string{"access through untrusted domain"}, byHost: true, fix: func(h string) string {
		return fmt.Sprintf("in config/config.php, 'trusted_domains' => [ ..., '%s' ],\nor: occ config:system:set trusted_domains 1 --value=%s\n(and overwriteprotocol => 'https')", h, h)
	}},
	{name: "Home Assistant", marks: []string{"400: bad request"}, fix: func(string) string {
		return "in configuration.yaml, trust cloudflared as a reverse proxy:\nhttp:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 172.16.0.0/12   # cloudflared's Docker network (or its exact address)\nthen restart Home Assistant"
	}},
	{name: "the origin", marks: []string{"invalid host header", "host not allowed", "misdirected request", "not a valid host", "unknown host"}, byHost: true},
}

func runHostRefused(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		h := r.HTTP
		if h == nil || (h.Status != 400 && h.Status != 403 && h.Status != 421) {
			continue
		}
		t := r.Target
		sent := t.HostHeader()
		app, known := recogniseHostApp(h.BodySample, h.Headers["Server"])
		accepted := acceptedHost(r)
		if !known && accepted == "" && h.Status != 421 {
			continue // a 400/403 for other reasons (auth, WAF): not ours to explain
		}
		name := "the origin"
		if known {
			name = app.name
		}
		msg := fmt.Sprintf("%s: %s at %s refuses the Host header cloudflared sends (%q) with %d", ruleName(t), name, targetAddress(t), sent, h.Status)
		if line := firstLine(h.BodySample); line != "" {
			msg += fmt.Sprintf(": %q", clip(line, 120))
		}
		if accepted != "" {
			msg += fmt.Sprintf("; with Host %q it answers", accepted)
		}
		msg += "."
		public := t.Hostname
		if public == "" || strings.Contains(public, "*") {
			public = sent
		}
		var fix []string
		if known && app.fix != nil {
			fix = append(fix, "Let the app accept "+public+", "+app.fix(public))
		}
		if app.byHost || !known {
			alt := accepted
			if alt == "" {
				alt = "<a name the app accepts, e.g. " + hostOr(t) + ">"
			}
			lead := "Or make cloudflared send a Host the app accepts (the visitor's hostname then arrives as X-Forwarded-Host):"
			if len(fix) == 0 {
				lead = "Make cloudflared send a Host the app accepts (the visitor's hostname then arrives as X-Forwarded-Host), or add " + public + " to the app's allowed hosts:"
			}
			fix = append(fix, lead+"\n"+ruleYAML(t, t.Service, "httpHostHeader: "+alt))
		}
		f := probeFinding(c, agent.Error, s, r, msg, strings.Join(fix, "\n"))
		f.Evidence["host_sent"] = sent
		f.Evidence["body_sample"] = clip(h.BodySample, 300)
		if known {
			f.Evidence["app"] = app.name
		}
		for _, try := range r.HostTries {
			v := fmt.Sprint(try.Status)
			if try.Error != "" {
				v = try.Error
			}
			f.Evidence["with_host_"+try.Host] = v
		}
		out = append(out, f)
	}
	return out
}

// recogniseHostApp names the app from its refusal page.
func recogniseHostApp(body, server string) (hostApp, bool) {
	b := strings.ToLower(body)
	for _, a := range hostApps {
		for _, m := range a.marks {
			if strings.Contains(b, m) {
				if a.name == "Home Assistant" && !strings.Contains(strings.ToLower(server), "aiohttp") {
					continue // "400: Bad Request" alone is anyone's
				}
				return a, true
			}
		}
	}
	return hostApp{}, false
}

// acceptedHost is the Host a retry got a non-error answer with, "" if none.
func acceptedHost(r probe.Result) string {
	for _, try := range r.HostTries {
		if try.Error == "" && try.Status > 0 && try.Status < 400 {
			return try.Host
		}
	}
	return ""
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
