package checks

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// The two refusals PRB012 explains beyond "wrong port": a localhost rule
// (who, if anyone, listens in cloudflared's namespace) and an app that
// listens on 127.0.0.1 inside its own container.

// refusedLoopback judges a refused localhost:PORT probe.
func refusedLoopback(c agent.Check, s *agent.Snapshot, r probe.Result, port string) agent.Finding {
	t := r.Target
	if s.Probes.Vantage != agent.VantageCloudflared {
		// Our loopback is not cloudflared's: the refusal proves nothing.
		msg := fmt.Sprintf("%s: connection refused on %s, but the probe ran outside cloudflared's network namespace, whose localhost is another one: what cloudflared gets there is unknown.",
			ruleName(t), targetAddress(t))
		fix := "Run tunneldoctor in cloudflared's network namespace to probe what cloudflared reaches: docker run --network container:<cloudflared> …, or network_mode: \"service:cloudflared\" in compose."
		if s.HostMode() {
			fix = "cloudflared runs on the host: run tunneldoctor on the host too (or in a container with network_mode: host) to probe what cloudflared reaches."
		}
		return probeFinding(c, agent.Info, s, r, msg, fix)
	}
	if p, ok := hostPublisher(s, r); ok {
		// cloudflared on the host, a running container publishes the port,
		// yet the connection is refused: its app does not listen there.
		cport, _, _ := strings.Cut(p.Binding.ContainerPort, "/")
		msg := fmt.Sprintf("%s: connection refused on %s on the host, where cloudflared runs, although container %s %s: "+
			"nothing in it listens on port %s on 0.0.0.0 (the app is down, listens on another port, or on 127.0.0.1 inside its container), so visitors get 502.",
			ruleName(t), targetAddress(t), p.Container.Name, describePublication(p), cport)
		fix := fmt.Sprintf("Make the app in %s listen on 0.0.0.0:%s inside its container (check `docker logs %s`), or publish the port it listens on instead.",
			p.Container.Name, cport, p.Container.Name)
		f := probeFinding(c, agent.Error, s, r, msg, fix)
		f.Evidence["origin_container"] = p.Container.Name
		f.Evidence["published"] = describePublication(p)
		return f
	}
	v, known := loopbackAt(s, port)
	var msg, fix string
	switch {
	case v.listener != nil:
		msg = fmt.Sprintf("%s: connection refused on %s in cloudflared's network namespace, which container %s shares and where it declares port %s: "+
			"nothing listens on that port, so visitors get 502. %s's app is not running, or listens on another port or address.",
			ruleName(t), targetAddress(t), v.listener.Name, port, v.listener.Name)
		fix = fmt.Sprintf("Start %s's app listening on port %s (check `docker logs %s`), or point the rule at the port it listens on.",
			v.listener.Name, port, v.listener.Name)
	case len(v.sharers) > 0:
		msg = fmt.Sprintf("%s: connection refused on %s in cloudflared's network namespace (shared with %s): nothing listens on port %s there, so visitors get 502; the localhost rule is wrong.",
			ruleName(t), targetAddress(t), sharerList(v.sharers), port)
	default:
		msg = fmt.Sprintf("%s: connection refused on %s: localhost is cloudflared's own container and nothing listens on port %s there, so visitors get 502; the localhost rule is wrong.",
			ruleName(t), targetAddress(t), port)
	}
	if fix == "" {
		fix = "Point the rule at the origin container's name on a network cloudflared is on, e.g.\n" + ruleYAML(t, withHost(t, "ORIGIN_CONTAINER", port))
		if known {
			if cand, cport := localhostCandidate(s, port); cand != nil {
				fix = "Point the rule at the container instead of localhost:\n" + ruleYAML(t, withHost(t, composeName(cand), cport))
			}
		}
	}
	f := probeFinding(c, agent.Error, s, r, msg, fix)
	if v.listener != nil {
		f.Evidence["origin_container"] = v.listener.Name
	}
	if len(v.sharers) > 0 {
		f.Evidence["namespace_shared_with"] = sharerList(v.sharers)
	}
	return f
}

// refusedLoopbackBind judges a refusal by a container that declares the
// rule's port: the app most likely listens on its own loopback only.
func refusedLoopbackBind(c agent.Check, s *agent.Snapshot, r probe.Result, oc *dockernet.Container, port string) agent.Finding {
	t := r.Target
	line, kind := bindLine(s.Docker.Logs[oc.ID], port)
	msg := fmt.Sprintf("%s: connection refused on %s although container %s exposes port %s: the app likely listens on 127.0.0.1 inside its container only, "+
		"which no other container can reach, so visitors get 502%s.", ruleName(t), targetAddress(t), oc.Name, port, notCloudflaredView(s))
	if line != "" {
		msg = fmt.Sprintf("%s: connection refused on %s although container %s exposes port %s: the app listens on its own loopback only, "+
			"as its log says (%q), which no other container can reach, so visitors get 502%s.", ruleName(t), targetAddress(t), oc.Name, port, line, notCloudflaredView(s))
	}
	f := probeFinding(c, agent.Error, s, r, msg, bindFix(kind, oc, port))
	f.Evidence["origin_container"] = oc.Name
	_, ports := originPorts(s, t.Host)
	f.Evidence["exposed_ports"] = strings.Join(ports, ", ")
	if line != "" {
		f.Evidence["log_line"] = line
	}
	return f
}

// withHost is the target's service with another host and port.
func withHost(t probe.Target, host, port string) string {
	scheme := "http://"
	if i := strings.Index(t.Service, "://"); i > 0 {
		scheme = t.Service[:i+3]
	}
	return scheme + host + ":" + port
}

// Startup lines of common servers that say they bound loopback only.
var bindPatterns = []struct {
	kind string
	re   string // %s is the port
}{
	{"uvicorn", `Uvicorn running on https?://%[1]s:%[2]s\b`},
	{"gunicorn", `Listening at: https?://%[1]s:%[2]s\b`},
	{"flask", `Running on https?://%[1]s:%[2]s\b`},
	{"puma", `Listening on (?:tcp|https?)://%[1]s:%[2]s\b`},
	{"vite", `Local:\s+https?://%[1]s:%[2]s\b`},
	{"generic", `(?i)listening on:? (?:https?://)?%[1]s:%[2]s\b`},
	{"generic", `(?:^|[\s"'(=/])%[1]s:%[2]s\b`},
}

const loopbackRE = `(?:127\.0\.0\.1|localhost|\[::1\])`

// bindLine finds the newest log line saying the app listens on loopback at
// port, and which server wrote it ("" when none does).
func bindLine(lines []string, port string) (line, kind string) {
	for _, p := range bindPatterns {
		re := regexp.MustCompile(fmt.Sprintf(p.re, loopbackRE, regexp.QuoteMeta(port)))
		for i := len(lines) - 1; i >= 0; i-- {
			if re.MatchString(lines[i]) {
				return strings.TrimSpace(lines[i]), p.kind
			}
		}
	}
	return "", ""
}

// bindFix is the change that makes the app listen on every interface.
func bindFix(kind string, oc *dockernet.Container, port string) string {
	then := fmt.Sprintf("\nthen re-create the container (docker compose up -d %s); EXPOSE alone does not make an app listen.", composeName(oc))
	switch kind {
	case "flask":
		return fmt.Sprintf("Start Flask on all interfaces: flask run --host 0.0.0.0 --port %s (or app.run(host=\"0.0.0.0\", port=%s)), i.e. listen on 0.0.0.0:%s;", port, port, port) + then
	case "uvicorn":
		return fmt.Sprintf("Start uvicorn on all interfaces: uvicorn main:app --host 0.0.0.0 --port %s, i.e. listen on 0.0.0.0:%s;", port, port) + then
	case "gunicorn":
		return fmt.Sprintf("Bind gunicorn to all interfaces: gunicorn --bind 0.0.0.0:%s main:app;", port) + then
	case "puma":
		return fmt.Sprintf("Bind the server to all interfaces: rails server -b 0.0.0.0 -p %s (or bind \"tcp://0.0.0.0:%s\" in config/puma.rb);", port, port) + then
	case "vite":
		return fmt.Sprintf("Let Vite listen on all interfaces: vite --host 0.0.0.0 --port %s (server.host: true), i.e. 0.0.0.0:%s;", port, port) + then
	}
	return fmt.Sprintf("Make the app listen on 0.0.0.0:%s instead of 127.0.0.1:%s: its --host 0.0.0.0 / --bind 0.0.0.0:%s option, "+
		"HOST=0.0.0.0 in its environment, or app.listen(%s, \"0.0.0.0\") in Node;", port, port, port, port) + then
}
