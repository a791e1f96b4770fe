package agent

import (
	"net"
	"regexp"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Upstream is an origin's own upstream as its log names it: nginx's
// `upstream: "fastcgi://172.18.0.5:9000"`, `host not found in upstream
// "app:3000"`, or a Go/Caddy/Traefik `dial tcp 172.18.0.5:9000: connect:
// connection refused`.
type Upstream struct {
	Line   string `json:"line"`             // the log line, as read (redacted)
	Scheme string `json:"scheme,omitempty"` // http, fastcgi, uwsgi, grpc...
	Host   string `json:"host"`             // name or IP
	Port   int    `json:"port,omitempty"`   // 0 when the log gives none
	// Error is the failure the line reports: "connection refused", "host
	// not found", "timed out", "no live upstreams", "no route to host".
	Error string `json:"error,omitempty"`
}

// Address is host:port, or the host alone without a port.
func (u Upstream) Address() string {
	if u.Port == 0 {
		return u.Host
	}
	return net.JoinHostPort(u.Host, strconv.Itoa(u.Port))
}

var (
	reNginxUpstream   = regexp.MustCompile(`upstream: "([a-z0-9+]+)://([^"/]+)[^"]*"`)
	reNginxNotFound   = regexp.MustCompile(`host not found in upstream "([^"]+)"`)
	reDialTCP         = regexp.MustCompile(`dial tcp ([^ ]+): (connect: [a-z ]+|i/o timeout|lookup [^:]+: no such host)`)
	upstreamErrorText = []struct{ mark, err string }{
		{"connection refused", "connection refused"},
		{"no route to host", "no route to host"},
		{"timed out", "timed out"},
		{"i/o timeout", "timed out"},
		{"no live upstreams", "no live upstreams"},
		{"host not found", "host not found"},
		{"no such host", "host not found"},
		{"connection reset", "connection reset"},
	}
)

// UpstreamsInLog finds the upstreams the log lines blame, newest first, one
// per address.
func UpstreamsInLog(lines []string) []Upstream {
	var out []Upstream
	seen := map[string]bool{}
	for i := len(lines) - 1; i >= 0; i-- {
		u, ok := upstreamInLine(lines[i])
		if !ok || seen[u.Address()] {
			continue
		}
		seen[u.Address()] = true
		out = append(out, u)
	}
	return out
}

func upstreamInLine(line string) (Upstream, bool) {
	u := Upstream{Line: line}
	lower := strings.ToLower(line)
	for _, e := range upstreamErrorText {
		if strings.Contains(lower, e.mark) {
			u.Error = e.err
			break
		}
	}
	var hostport string
	switch {
	case reNginxUpstream.MatchString(line):
		m := reNginxUpstream.FindStringSubmatch(line)
		u.Scheme, hostport = m[1], m[2]
	case reNginxNotFound.MatchString(line):
		hostport = reNginxNotFound.FindStringSubmatch(line)[1]
		u.Error = "host not found"
	case reDialTCP.MatchString(line):
		hostport = reDialTCP.FindStringSubmatch(line)[1]
	default:
		return Upstream{}, false
	}
	if u.Error == "" {
		return Upstream{}, false // an upstream named without a failure
	}
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		u.Host = h
		u.Port, _ = strconv.Atoi(p)
	} else {
		u.Host = hostport
	}
	u.Host = strings.Trim(u.Host, "[]")
	return u, u.Host != ""
}

// ProbedContainer is the container a probe reached: the one whose address
// the probe connected to (several replicas may answer the name), else the
// first running container the host resolves to from cloudflared.
func ProbedContainer(topo *dockernet.Topology, cf *dockernet.Container, r probe.Result) *dockernet.Container {
	if topo == nil || cf == nil || r.Target.Host == "" {
		return nil
	}
	res := topo.Resolve(cf, r.Target.Host)
	if r.Connect != nil && r.Connect.Address != "" {
		if ip, _, err := net.SplitHostPort(r.Connect.Address); err == nil {
			for _, a := range res.Answers {
				for _, e := range a.Container.Endpoints {
					if e.IPv4 == ip || e.IPv6 == ip {
						return a.Container
					}
				}
			}
		}
	}
	for _, a := range res.Running() {
		if a.Container.ID != cf.ID {
			return a.Container
		}
	}
	return nil
}
