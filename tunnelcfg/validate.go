package tunnelcfg

import (
	"fmt"
	"net"
	"regexp/syntax"
	"sort"
	"strings"
)

// Validate reports every problem of a configuration: cloudflared's own
// verdict (Valid(problems) is true exactly when `cloudflared tunnel ingress
// validate` accepts it), then tunneldoctor's warnings. Problems found while
// loading are not repeated: append Validate's to Load's.
func Validate(c *Config) []Problem { return ValidateWithSettings(c, nil) }

// ValidateWithSettings is Validate with cloudflared's command line and
// environment known: --url beside ingress rules, legacy origin flags.
func ValidateWithSettings(c *Config, s *Settings) []Problem {
	if c == nil {
		return []Problem{noRulesProblem(nil, s)}
	}
	if c.unreadable {
		return nil // Parse already reported the syntax error
	}
	var ps []Problem
	if len(c.Rules) == 0 || c.OnlyDefaultRule() {
		ps = append(ps, noRulesProblem(c, s))
	}
	if c.OnlyDefaultRule() {
		// The one rule is cloudflared's own fallback, not the user's: there
		// is nothing more to say about it.
		ps = append(ps, adviseTopLevel(c)...)
		sortProblems(ps)
		return ps
	}
	badPath := make([]bool, len(c.Rules))
	for i := range c.Rules {
		svc, parsed, rp := validateRule(c, i)
		for _, p := range rp {
			badPath[i] = badPath[i] || p.Kind == KindInvalidPathRegex
		}
		ps = append(ps, rp...)
		ps = append(ps, adviseRule(c, i, svc, parsed)...)
	}
	if len(c.Rules) > 0 {
		ps = append(ps, urlWithIngress(c, s)...)
		ps = append(ps, legacyFlags(c, s)...)
		ps = append(ps, shadowed(c, badPath)...)
	}
	ps = append(ps, adviseTopLevel(c)...)
	sortProblems(ps)
	return ps
}

// OnlyDefaultRule reports whether a live configuration (cloudflared's
// /config or the API's) holds nothing but the rule cloudflared puts in place
// of an empty ingress list: a catch-all answering http_status:503. Such a
// tunnel has no rules of its own and answers 503 to every request.
func (c *Config) OnlyDefaultRule() bool {
	if c == nil || (c.Origin != FromCloudflared && c.Origin != FromAPI) || len(c.Rules) != 1 {
		return false
	}
	r := c.Rules[0]
	return r.Hostname == "" && r.Path == "" && strings.TrimSpace(r.Service) == "http_status:503"
}

func noRulesProblem(c *Config, s *Settings) Problem {
	p := Problem{
		Kind: KindNoRules, Rule: -1, Field: "ingress", Fatal: true,
		Message: "The config file doesn't contain any ingress rules",
		Fix:     "Add an ingress list ending in a catch-all:\ningress:\n  - hostname: app.example.com\n    service: http://app:8080\n  - service: http_status:404",
	}
	if c != nil {
		p.Line = c.LineOf("ingress")
		if _, ok := c.Settings["Ingress"]; ok {
			p.Message += " (`Ingress:` is not `ingress:`: keys are case-sensitive)"
		}
	}
	switch {
	case c != nil && (c.Origin == FromCloudflared || c.Origin == FromAPI):
		// A remote configuration without rules is accepted: cloudflared
		// answers 503 to every request.
		p.Fatal = false
		p.Message = "The tunnel's configuration has no ingress rules (no public hostnames): cloudflared answers 503 to every request"
		if len(c.Rules) > 0 {
			p.Message = "The tunnel's configuration has no ingress rules of its own (no public hostnames), only cloudflared's built-in catch-all `service: http_status:503`: cloudflared answers 503 to every request"
		}
		p.Fix = "Add a public hostname to the tunnel in the dashboard (Networks > Tunnels > your tunnel > Public Hostname), or manage ingress in a config file."
	case s != nil && s.Token != nil:
		// With a token the dashboard's configuration is used; only
		// `ingress validate` rejects a file without rules.
		p.Fatal = false
		p.Message += ". cloudflared runs with a token, so it uses the dashboard's configuration; only `cloudflared tunnel ingress validate` rejects this file"
		p.Fix = "Nothing to do if the dashboard manages the routes; otherwise add an ingress list ending in `- service: http_status:404`."
	case s.cliOrigin() != "":
		p.Message += fmt.Sprintf(". `cloudflared tunnel run` serves %s for every hostname instead; `ingress validate` rejects the file", s.cliOrigin())
	default:
		p.Message += ". Unless the dashboard pushes a configuration, cloudflared answers 503 to every request"
	}
	return p
}

// validateRule applies cloudflared's checks in its order: service, access,
// hostname, path regex. It returns the parsed service and whether it parsed.
func validateRule(c *Config, i int) (Service, bool, []Problem) {
	r := &c.Rules[i]
	var ps []Problem
	svc, svcOK, sp := validateService(c, i)
	ps = append(ps, sp...)
	if a := r.OriginRequest.Access; a != nil && a.Required && a.TeamName == "" && len(a.AudTag) > 0 {
		ps = append(ps, Problem{
			Kind: KindAccessTeamNameMissing, Rule: i, Field: "originRequest.access.teamName",
			Line: r.LineOf("originRequest.access"), Fatal: true,
			Message: "access.TeamName cannot be blank when access.audTags are present",
			Fix:     "Add your Zero Trust team name (the part before .cloudflareaccess.com): `teamName: myteam` under originRequest.access.",
		})
	}
	ps = append(ps, validateHostname(c, i)...)
	if r.Path != "" {
		// syntax.Parse with Perl flags is exactly what regexp.Compile checks
		// (its compile step cannot fail), without building the matcher.
		if _, err := syntax.Parse(r.Path, syntax.Perl); err != nil {
			ps = append(ps, Problem{
				Kind: KindInvalidPathRegex, Rule: i, Field: "path", Line: r.LineOf("path"), Fatal: true,
				Message: fmt.Sprintf("Rule #%d has an invalid regex: %v (cloudflared counts from 1 here: this is rule %d in the 0-based numbering of its logs)", i+1, err, i),
				Fix:     "`path` is a Go (RE2) regular expression, not a glob: write `^/api/.*` for \"/api/*\", and escape literal dots and stars.",
			})
		}
	}
	return svc, svcOK, ps
}

func validateService(c *Config, i int) (Service, bool, []Problem) {
	r := &c.Rules[i]
	svc, err := ParseService(r.Service)
	if err != nil && c.Origin == FromCLI && !strings.Contains(r.Service, "://") {
		// --url without a scheme means http:// (validation.ValidateUrl).
		svc, err = ParseService("http://" + r.Service)
	}
	if svc.Kind == ServiceSocksProxy {
		return svc, true, socksRules(*r, i)
	}
	urlish := err == nil && (svc.Kind == ServiceHTTP || svc.Kind == ServiceTCP)
	var se *ServiceError
	if err != nil {
		se, _ = err.(*ServiceError)
		urlish = se != nil && se.Kind != KindHTTPStatusInvalid
	}
	if (urlish || r.Service == "bastion") && c.Effective(i).BastionMode {
		return Service{Raw: r.Service, Kind: ServiceBastion}, true, nil
	}
	if err == nil {
		return svc, true, nil
	}
	p := Problem{Kind: se.Kind, Rule: i, Field: "service", Line: r.LineOf("service"), Fatal: true, Message: se.Msg}
	switch {
	case se.Kind == KindHTTPStatusInvalid:
		p.Fix = "Use a status code from 100 to 999: `service: http_status:404`."
	case r.Service == "":
		p.Message = fmt.Sprintf("rule %d has no service (cloudflared: %q)", i, se.Msg)
		p.Fix = "Add the origin this hostname goes to: `service: http://app:8080` (container name and port on a shared network)."
	case r.Service == "warp-routing":
		p.Fix = "warp-routing is not a service: enable private network routing with a top-level `warp-routing:` section (and routes in the dashboard), and give this rule an origin such as `service: http_status:404`."
	case se.Kind == KindServiceHasPath:
		p.Fix = fmt.Sprintf("Drop the path: `service: %s`; to route only some paths, add `path: ^/prefix` to the rule instead.", stripPath(r.Service))
	case !strings.Contains(r.Service, "://"):
		p.Fix = fmt.Sprintf("Add the scheme: `service: http://%s` (or https:// when the origin speaks TLS).", r.Service)
	default:
		p.Fix = "Write the service as scheme://host:port, e.g. `service: http://app:8080`."
	}
	return svc, false, []Problem{p}
}

func stripPath(raw string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		return raw
	}
	rest := raw[i+3:]
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		rest = rest[:j]
	}
	return raw[:i+3] + rest
}

// socksRules checks the rule's own ipRules as ipaccess.NewRuleByCIDR does.
func socksRules(r Rule, i int) []Problem {
	var ps []Problem
	for j, ip := range r.OriginRequest.IPRules {
		var msg string
		switch {
		case ip.Prefix == nil || *ip.Prefix == "":
			msg = "no prefix provided"
		default:
			if _, _, err := net.ParseCIDR(*ip.Prefix); err != nil {
				msg = "unable to parse cidr: " + *ip.Prefix
			}
		}
		if msg == "" {
			for _, port := range ip.Ports {
				if port < 1 || port > 65535 {
					msg = fmt.Sprintf("invalid port %d, needs to be between 1 and 65535", port)
					break
				}
			}
		}
		if msg != "" {
			field := fmt.Sprintf("originRequest.ipRules[%d]", j)
			ps = append(ps, Problem{
				Kind: KindSocksIPRuleInvalid, Rule: i, Field: field, Line: r.LineOf(field + ".prefix"), Fatal: true,
				Message: "unable to create ip rule for socks-proxy: " + msg,
				Fix:     "Each ipRules entry needs `prefix:` in CIDR form (`10.0.0.0/8`) and ports from 1 to 65535.",
			})
		}
	}
	return ps
}

// validateHostname is cloudflared's validateHostname, reporting every
// failure instead of the first.
func validateHostname(c *Config, i int) []Problem {
	r := &c.Rules[i]
	var ps []Problem
	if hasPort(r.Hostname) {
		host, _, _ := net.SplitHostPort(r.Hostname)
		ps = append(ps, Problem{
			Kind: KindHostnameHasPort, Rule: i, Field: "hostname", Line: r.LineOf("hostname"), Fatal: true,
			Message: "Hostname cannot contain a port",
			Fix:     fmt.Sprintf("`hostname: %s` (cloudflared strips the port from requests; the origin's port belongs in `service`).", host),
		})
	}
	if strings.LastIndex(r.Hostname, "*") > 0 {
		ps = append(ps, Problem{
			Kind: KindBadWildcard, Rule: i, Field: "hostname", Line: r.LineOf("hostname"), Fatal: true,
			Message: `Hostname patterns can have at most one wildcard character ("*") and it can only be used for subdomains, e.g. "*.example.com"`,
			Fix:     "Use one leading wildcard label, `hostname: \"*.example.com\"`, or list the hostnames one per rule.",
		})
	}
	last := i == len(c.Rules)-1
	switch {
	case last && !r.IsCatchAll():
		fix := "Append a catch-all rule as the last one: `- service: http_status:404`."
		if r.Hostname == "" || r.Hostname == "*" {
			fix = "Remove `path` from the last rule, or append a catch-all rule after it: `- service: http_status:404`."
		}
		ps = append(ps, Problem{
			Kind: KindLastRuleNotCatchAll, Rule: i, Field: "hostname", Line: r.Line, Fatal: true,
			Message: "The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)",
			Fix:     fix,
		})
	case !last && r.IsCatchAll():
		hidden := make([]int, 0, len(c.Rules)-i-1)
		for j := i + 1; j < len(c.Rules); j++ {
			hidden = append(hidden, j)
		}
		p := Problem{
			Kind: KindCatchAllNotLast, Rule: i, Field: "hostname", Line: r.Line, Fatal: true, Related: hidden,
			Message: fmt.Sprintf("Rule #%d is matching the hostname '%s', but this will match every hostname, meaning the rules which follow it will never be triggered. (cloudflared counts from 1 here; in the 0-based numbering of its logs and `ingress rule` this is rule %d, and it hides %s.)",
				i+1, r.Hostname, i, ruleList(c, hidden)),
			Fix: fmt.Sprintf("Move rule %d (the catch-all) to the end of the ingress list, or give it a hostname.", i),
		}
		if key, want, line, ok := misspeltMatcher(r); ok {
			// The rule is a catch-all only because cloudflared ignores a
			// misspelt hostname or path: moving it would change nothing.
			p.Field, p.Line = key, line
			p.Message += fmt.Sprintf(" The rule is a catch-all only because cloudflared ignores the unknown key `%s` on line %d (it means `%s`).", key, line, want)
			p.Fix = fmt.Sprintf("Rename `%s` to `%s` on line %d: cloudflared ignores the misspelt key, so it treats rule %d as a catch-all.", key, want, line, i)
		}
		ps = append(ps, p)
	}
	return ps
}

// misspeltMatcher finds a key of the rule that cloudflared ignores and that
// is most likely a misspelt `hostname` or `path` (`hostnme`, `Hostname`):
// the key as written, the key meant, and its line.
func misspeltMatcher(r *Rule) (key, want string, line int, ok bool) {
	known := ruleKeys()
	for _, fl := range r.lines {
		if strings.Contains(fl.path, ".") || contains(known, fl.path) || fl.path == "<<" {
			continue
		}
		switch s := suggest(fl.path, known); s {
		case "hostname", "path":
			if (s == "hostname" && r.Hostname == "") || (s == "path" && r.Path == "") {
				return fl.path, s, fl.line, true
			}
		}
	}
	return "", "", 0, false
}

// ruleList names rules for a message: the first few, then a count.
func ruleList(c *Config, idx []int) string {
	const show = 5
	var parts []string
	for k, j := range idx {
		if k == show {
			parts = append(parts, fmt.Sprintf("and %d more", len(idx)-show))
			break
		}
		parts = append(parts, ruleLabel(c, j))
	}
	return strings.Join(parts, ", ")
}

// ruleLabel is "rule 3 (app.example.com)", with the 0-based index
// cloudflared logs as ingressRule.
func ruleLabel(c *Config, i int) string {
	if i < 0 || i >= len(c.Rules) {
		return fmt.Sprintf("rule %d", i)
	}
	r := &c.Rules[i]
	what := r.Hostname
	if what == "" {
		what = "any hostname"
	}
	if r.Path != "" {
		what += " path " + r.Path
	}
	return fmt.Sprintf("rule %d (%s)", i, what)
}

// hasPort is cloudflared's test (net.SplitHostPort succeeds), skipping the
// error allocation for the common hostname without a colon.
func hasPort(h string) bool {
	if !strings.Contains(h, ":") {
		return false
	}
	_, _, err := net.SplitHostPort(h)
	return err == nil
}

// sortProblems orders problems by line, then rule, keeping the order of
// equal ones, so output is stable whatever map order produced them.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Rule < ps[j].Rule
	})
}
