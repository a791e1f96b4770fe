package tunnelcfg

import (
	"fmt"
	"sort"
	"strings"
)

// urlWithIngress: `ingress validate` refuses --url (from the command line,
// the environment or the file's `url:`) beside ingress rules; `tunnel run`
// silently ignores the URL.
func urlWithIngress(c *Config, s *Settings) []Problem {
	field, line, value := "", 0, ""
	if v, ok := s.flag("url"); ok && v.Source != SourceFile {
		field, value = "--url", v.Value
	} else if st, ok := c.Settings["url"]; ok && st.Value != "" { // altsrc skips empty values
		field, line, value = "url", st.Line, st.Value
	}
	if field == "" {
		return nil
	}
	return []Problem{{
		Kind: KindURLWithIngress, Rule: -1, Field: field, Line: line, Fatal: true,
		Message: fmt.Sprintf("You can't set the --url flag (or $TUNNEL_URL) when using multiple-origin ingress rules (url is %q; `cloudflared tunnel run` ignores it and uses the ingress rules)", value),
		Fix:     "Remove the url (the `url:` line, --url or TUNNEL_URL) and route that origin with an ingress rule: `- hostname: app.example.com\n  service: " + orExample(value) + "`.",
	}}
}

func orExample(v string) string {
	if v == "" {
		return "http://app:8080"
	}
	return v
}

// legacyFlags: no-tls-verify, origin-server-name and the other single-origin
// flags apply only when there are no ingress rules (ingress.go
// parseCLIIngress); beside rules they silently do nothing.
func legacyFlags(c *Config, s *Settings) []Problem {
	var ps []Problem
	legacy := legacyOriginFlags()
	names := make([]string, 0, len(legacy))
	for n := range legacy {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		key := legacy[name]
		field, line, value := "", 0, ""
		if v, ok := s.flag(name); ok && v.Source != SourceFile {
			field, value = "--"+name, v.Value
		} else if st, ok := c.Settings[name]; ok {
			field, line, value = name, st.Line, st.Value
		}
		if field == "" || value == "" || value == "false" {
			continue
		}
		p := Problem{Kind: KindLegacyFlagIgnored, Rule: -1, Field: field, Line: line}
		p.Message = fmt.Sprintf("`%s` (%s) only applies when there are no ingress rules; with ingress rules cloudflared ignores it.", name, value)
		if key != "" {
			p.Fix = fmt.Sprintf("Set it in the ingress config instead (for every rule, or inside one rule):\noriginRequest:\n  %s: %s", key, value)
		} else {
			p.Fix = fmt.Sprintf("Remove `%s` and express the origin as an ingress rule.", name)
		}
		ps = append(ps, p)
	}
	return ps
}

// adviseRule gives tunneldoctor's warnings and advice for one rule:
// requests that cannot work or go somewhere the author did not mean.
func adviseRule(c *Config, i int, svc Service, parsed bool) []Problem {
	ps := adviseHostname(c, i)
	if !parsed {
		return ps
	}
	r := &c.Rules[i]
	if svc.IsLoopback() {
		ps = append(ps, Problem{
			Kind: KindLoopbackService, Rule: i, Field: "service", Line: r.LineOf("service"),
			Message: fmt.Sprintf("%s sends requests to %s: when cloudflared runs in a container, that is cloudflared's own container, not your app.", ruleLabel(c, i), svc.Address()),
			Fix:     fmt.Sprintf("Use the app container's name on a Docker network it shares with cloudflared: `service: %s://APP:%d`.", svc.Scheme, svc.Port),
		})
	}
	switch {
	case svc.PortSet && (svc.Port < 1 || svc.Port > 65535):
		ps = append(ps, Problem{
			Kind: KindServicePortInvalid, Rule: i, Field: "service", Line: r.LineOf("service"),
			Message: fmt.Sprintf("%s: port %d is not a TCP port (1-65535); cloudflared accepts the rule but every request to it fails.", ruleLabel(c, i), svc.Port),
			Fix:     "Use the port the origin listens on, from 1 to 65535.",
		})
	case svc.Kind == ServiceTCP && svc.Port == 0:
		ps = append(ps, Problem{
			Kind: KindServicePortInvalid, Rule: i, Field: "service", Line: r.LineOf("service"),
			Message: fmt.Sprintf("%s: cloudflared has no default port for %s:// and dials %q without one, which fails.", ruleLabel(c, i), svc.Scheme, svc.Host),
			Fix:     fmt.Sprintf("Add the port: `service: %s://%s:PORT`.", svc.Scheme, svc.Host),
		})
	}
	if svc.RawQuery != "" || svc.Fragment != "" {
		ps = append(ps, Problem{
			Kind: KindServiceQuery, Rule: i, Field: "service", Line: r.LineOf("service"),
			Message: fmt.Sprintf("%s: cloudflared drops the query/fragment of %q; requests carry the visitor's own query.", ruleLabel(c, i), svc.Raw),
			Fix:     fmt.Sprintf("`service: %s`", stripPath(svc.Raw)),
		})
	}
	return append(ps, adviseTLS(c, i, svc)...)
}

func adviseTLS(c *Config, i int, svc Service) []Problem {
	r := &c.Rules[i]
	var ps []Problem
	o := r.OriginRequest
	if svc.IsHTTP() && !svc.UsesTLS() {
		var set []string
		if o.OriginServerName != nil && *o.OriginServerName != "" {
			set = append(set, "originServerName")
		}
		if o.CAPool != nil && *o.CAPool != "" {
			set = append(set, "caPool")
		}
		if o.NoTLSVerify != nil && *o.NoTLSVerify {
			set = append(set, "noTLSVerify")
		}
		if o.MatchSNIToHost != nil && *o.MatchSNIToHost {
			set = append(set, "matchSNItoHost")
		}
		if len(set) > 0 {
			ps = append(ps, Problem{
				Kind: KindTLSOptionWithoutTLS, Rule: i, Field: "originRequest." + set[0], Line: r.LineOf("originRequest." + set[0]),
				Message: fmt.Sprintf("%s sets %s but its service %s does not use TLS, so they have no effect.", ruleLabel(c, i), strings.Join(set, ", "), svc.Raw),
				Fix:     "If the origin speaks TLS, use `https://` in the service; otherwise remove those keys.",
			})
		}
		if o.HTTP2Origin != nil && *o.HTTP2Origin { // set at top level only: one problem, see adviseTopLevel
			ps = append(ps, Problem{
				Kind: KindHTTP2OriginWithoutTLS, Rule: i, Field: "originRequest.http2Origin", Line: r.LineOf("originRequest.http2Origin"),
				Message: fmt.Sprintf("%s has http2Origin but %s is not https: cloudflared only negotiates HTTP/2 over TLS, so it speaks HTTP/1.1 (h2c-only servers such as plain gRPC fail).", ruleLabel(c, i), svc.Raw),
				Fix:     "Serve TLS on the origin and use `https://`, or remove `http2Origin`.",
			})
		}
	}
	if svc.UsesTLS() && o.NoTLSVerify != nil && *o.NoTLSVerify {
		ps = append(ps, Problem{
			Kind: KindNoTLSVerify, Rule: i, Field: "originRequest.noTLSVerify", Line: r.LineOf("originRequest.noTLSVerify"),
			Message: fmt.Sprintf("%s turns off verification of the origin's certificate (noTLSVerify: true).", ruleLabel(c, i)),
			Fix:     "Prefer `caPool: /path/to/origin-ca.pem` (and `originServerName` when the certificate's name differs from the service host).",
		})
	}
	return ps
}

// adviseHostname: patterns cloudflared accepts that do not match what the
// author meant.
func adviseHostname(c *Config, i int) []Problem {
	r := &c.Rules[i]
	h := r.Hostname
	if hasPort(h) || strings.LastIndex(h, "*") > 0 {
		return nil // already fatal; advice would be noise
	}
	var ps []Problem
	if strings.HasPrefix(h, "*") && !strings.HasPrefix(h, "*.") && h != "*" && strings.LastIndex(h, "*") == 0 {
		ps = append(ps, Problem{
			Kind: KindWildcardLiteral, Rule: i, Field: "hostname", Line: r.LineOf("hostname"),
			Message: fmt.Sprintf("%s: %q is not a wildcard to cloudflared; it only matches a request for that literal name.", ruleLabel(c, i), h),
			Fix:     fmt.Sprintf("`hostname: \"*.%s\"` for subdomains, or list the hostnames.", strings.TrimLeft(strings.TrimPrefix(h, "*"), ".")),
		})
	}
	if h != strings.ToLower(h) {
		if punycode(h) == "" && !r.IsCatchAll() {
			ps = append(ps, Problem{
				Kind: KindHostnameCaseNoMatch, Rule: i, Field: "hostname", Line: r.LineOf("hostname"),
				Message: fmt.Sprintf("%s: %q has upper case and cloudflared cannot lowercase it (not a plain IDNA name), while browsers send lower case: it never matches.", ruleLabel(c, i), h),
				Fix:     fmt.Sprintf("`hostname: %q`", strings.ToLower(h)),
			})
		} else if !r.IsCatchAll() {
			ps = append(ps, Problem{
				Kind: KindHostnameUpperCase, Rule: i, Field: "hostname", Line: r.LineOf("hostname"),
				Message: fmt.Sprintf("%s: %q has upper case; cloudflared also matches its lowercase form, but request hosts are compared case-sensitively.", ruleLabel(c, i), h),
				Fix:     fmt.Sprintf("`hostname: %s`", strings.ToLower(h)),
			})
		}
	}
	return ps
}

// adviseTopLevel: top-level originRequest choices worth a note, once
// rather than once per rule.
func adviseTopLevel(c *Config) []Problem {
	var ps []Problem
	if v := c.OriginRequest.HTTP2Origin; v != nil && *v {
		var plain []int
		for i, r := range c.Rules {
			if r.OriginRequest.HTTP2Origin != nil {
				continue
			}
			if svc, err := ParseService(r.Service); err == nil && svc.IsHTTP() && !svc.UsesTLS() {
				plain = append(plain, i)
			}
		}
		if len(plain) > 0 {
			ps = append(ps, Problem{
				Kind: KindHTTP2OriginWithoutTLS, Rule: -1, Field: "originRequest.http2Origin", Line: c.LineOf("originRequest.http2Origin"), Related: plain,
				Message: fmt.Sprintf("The top-level originRequest sets http2Origin, but %s use plain HTTP: cloudflared only negotiates HTTP/2 over TLS, so they get HTTP/1.1 (h2c-only servers such as plain gRPC fail).", ruleList(c, plain)),
				Fix:     "Serve TLS on those origins and use `https://`, or set http2Origin only on the https rules.",
			})
		}
	}
	if v := c.OriginRequest.NoTLSVerify; v != nil && *v {
		ps = append(ps, Problem{
			Kind: KindNoTLSVerify, Rule: -1, Field: "originRequest.noTLSVerify", Line: c.LineOf("originRequest.noTLSVerify"),
			Message: "The top-level originRequest turns off origin certificate verification for every rule (noTLSVerify: true).",
			Fix:     "Set noTLSVerify only on the rules that need it, or better `caPool: /path/to/origin-ca.pem`.",
		})
	}
	return ps
}
