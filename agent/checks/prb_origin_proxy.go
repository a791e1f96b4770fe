package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// originProxy: cloudflared's environment routes origin requests through an
// HTTP proxy, which tunneldoctor's probes do not use.
func originProxy() agent.Check {
	c := agent.Check{
		Code:     "PRB014",
		Title:    "cloudflared sends origin requests through an HTTP proxy",
		Hop:      agent.HopProtocol,
		Severity: agent.Warn,
		Explain: "cloudflared's origin transport honours HTTP_PROXY and HTTPS_PROXY from its environment " +
			"(Go's ProxyFromEnvironment): requests to http:// and https:// origins go through that proxy unless " +
			"NO_PROXY lists them (localhost is never proxied). A proxy outside Docker cannot resolve container " +
			"names, so cloudflared answers 502 while a direct probe, like tunneldoctor's, succeeds.",
		Fix:   "Add the origin names to NO_PROXY in cloudflared's environment (e.g. NO_PROXY=web,api,.internal), or remove the proxy variables if origins are all local.",
		Needs: []string{agent.SourceProbes, agent.SourceDocker},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runOriginProxy(c, s) }
	return c
}

func runOriginProxy(c agent.Check, s *agent.Snapshot) []agent.Finding {
	cf := s.Docker.Cloudflared
	if cf == nil {
		return nil
	}
	set := map[string]bool{}
	for _, kv := range cf.Env {
		name, _, _ := strings.Cut(kv, "=")
		set[strings.ToUpper(name)] = true
	}
	var hosts []string
	seen := map[string]bool{}
	for _, r := range results(s) {
		t := r.Target
		if t.Kind != probe.KindHTTP || t.Network != "tcp" || isLoopback(t.Host) || seen[t.Host] {
			continue
		}
		if (t.TLS && set["HTTPS_PROXY"]) || (!t.TLS && set["HTTP_PROXY"]) {
			seen[t.Host] = true
			hosts = append(hosts, t.Host)
		}
	}
	if len(hosts) == 0 {
		return nil
	}
	sort.Strings(hosts)
	var vars []string
	for _, v := range []string{"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"} {
		if set[v] {
			vars = append(vars, v)
		}
	}
	sev, msg := agent.Warn, fmt.Sprintf("cloudflared (%s) sets %s without NO_PROXY: its requests to %s go through that proxy, "+
		"not straight to the containers; tunneldoctor's probes went direct, so a 502 can come from the proxy.",
		cf.Name, strings.Join(vars, " and "), strings.Join(hosts, ", "))
	if set["NO_PROXY"] {
		sev, msg = agent.Info, fmt.Sprintf("cloudflared (%s) sets %s: requests to %s go through the proxy unless NO_PROXY lists them "+
			"(its value is not shown); tunneldoctor's probes went direct.", cf.Name, strings.Join(vars, ", "), strings.Join(hosts, ", "))
	}
	f := c.Finding(sev, msg)
	f.Fix = "In cloudflared's environment (compose `environment:`), list the origins in NO_PROXY:\n  NO_PROXY=" + strings.Join(hosts, ",") +
		"\nor remove HTTP_PROXY/HTTPS_PROXY if cloudflared needs no proxy."
	f.Evidence = map[string]string{"cloudflared": cf.Name, "proxy_variables": strings.Join(vars, ", "), "origins": strings.Join(hosts, ", ")}
	return []agent.Finding{f}
}
