package tunnelcfg

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/net/idna"
)

// matchCache holds each rule compiled for matching, built once per Config.
type matchCache struct {
	once  sync.Once
	rules []compiledRule
}

type compiledRule struct {
	host     string
	punycode string         // idna.Lookup.ToASCII(host) when different, as cloudflared stores it
	path     *regexp.Regexp // nil: any path
	badPath  bool           // the regex does not compile: the rule never matches
}

// Match returns the index of the rule cloudflared picks for a request's Host
// and URL path (ingress.go FindMatchingRule): the port is stripped, rules are
// tried in order, and the last rule is the fallback. -1 when there are no
// rules. The Rules must not change after the first call.
func (c *Config) Match(host, path string) int {
	if len(c.Rules) == 0 {
		return -1
	}
	if strings.Contains(host, ":") { // skip SplitHostPort's error allocation on the common case
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
	}
	rules := c.compiled()
	for i := range rules {
		if rules[i].matches(host, path) {
			return i
		}
	}
	return len(c.Rules) - 1
}

// MatchHost returns the index of the first rule that names hosts (its
// hostname is neither "" nor "*") and whose hostname cloudflared matches
// with host: exactly and case-sensitively, or a leading "*." for any deeper
// name, also in the rule's punycode (lowercase) form. Paths are ignored: a
// rule with a path still takes some of the host's requests. -1 when no rule
// names host. Like Match, it does not lowercase host: pass the Host header
// as it arrives (browsers send lowercase).
func (c *Config) MatchHost(host string) int {
	rules := c.compiled()
	for i := range rules {
		if r := &rules[i]; r.host != "" && r.host != "*" && r.hostMatches(host) {
			return i
		}
	}
	return -1
}

// MatchURL matches a URL as `cloudflared tunnel ingress rule URL` does.
func (c *Config) MatchURL(rawURL string) (int, error) {
	u, err := ParseMatchURL(rawURL)
	if err != nil {
		return -1, err
	}
	if len(c.Rules) == 0 {
		return -1, fmt.Errorf("the configuration has no ingress rules")
	}
	return c.Match(u.Hostname(), u.Path), nil
}

// ParseMatchURL reads a URL as `cloudflared tunnel ingress rule` does: an
// error when it does not parse or has neither hostname nor scheme. MatchURL
// fails on exactly these URLs (and on a configuration without rules).
func ParseMatchURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%s is not a valid URL", rawURL)
	}
	if u.Hostname() == "" && u.Scheme == "" {
		return nil, fmt.Errorf("%s doesn't have a hostname, consider adding a scheme", rawURL)
	}
	return u, nil
}

func (c *Config) compiled() []compiledRule {
	if c.match == nil { // a Config built by hand: compile for this call only
		return compileRules(c.Rules)
	}
	c.match.once.Do(func() { c.match.rules = compileRules(c.Rules) })
	return c.match.rules
}

func compileRules(rules []Rule) []compiledRule {
	out := make([]compiledRule, len(rules))
	for i, r := range rules {
		cr := compiledRule{host: r.Hostname}
		if !r.IsCatchAll() {
			cr.punycode = punycode(r.Hostname)
		}
		if r.Path != "" {
			re, err := regexp.Compile(r.Path)
			cr.path, cr.badPath = re, err != nil
		}
		out[i] = cr
	}
	return out
}

// punycode is the rule's alternative form cloudflared also matches, or "".
func punycode(host string) string {
	if isPlainLDH(host) {
		return "" // idna.Lookup maps such a name to itself
	}
	p, err := idna.Lookup.ToASCII(host)
	if err != nil || p == host {
		return ""
	}
	return p
}

func (r *compiledRule) matches(host, path string) bool {
	if r.badPath {
		return false
	}
	hostOK := r.host == "" || r.host == "*" || r.hostMatches(host)
	return hostOK && (r.path == nil || r.path.MatchString(path))
}

// hostMatches applies cloudflared's host test to the rule's hostname and to
// its punycode form.
func (r *compiledRule) hostMatches(host string) bool {
	return matchHost(r.host, host) || (r.punycode != "" && matchHost(r.punycode, host))
}

// matchHost is cloudflared's host test: exact and case-sensitive, or a
// leading "*." matching any deeper name but not the apex.
func matchHost(ruleHost, reqHost string) bool {
	if ruleHost == reqHost {
		return true
	}
	if strings.HasPrefix(ruleHost, "*.") {
		return strings.HasSuffix(reqHost, ruleHost[1:])
	}
	return false
}

// isPlainLDH reports whether host is lower-case letters, digits and hyphens
// in non-empty dot-separated labels, none of them punycode ("xn--"): the
// names IDNA lookup processing leaves as they are (or refuses), which is
// most rules, and worth not running it for on big files.
func isPlainLDH(host string) bool {
	if host == "" || host[0] == '.' || host[len(host)-1] == '.' || strings.Contains(host, "..") || strings.Contains(host, "xn--") {
		return false
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
