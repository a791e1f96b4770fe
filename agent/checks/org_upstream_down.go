package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// orgUpstreamDown: the origin answered 502/503/504 itself, and its log
// names its own upstream (nginx in front of PHP-FPM or an app server): the
// broken hop is one further, at that container.
func orgUpstreamDown() agent.Check {
	c := agent.Check{
		Code:     "ORG008",
		Title:    "Origin's own upstream is down",
		Hop:      agent.HopOrigin,
		Severity: agent.Error,
		Explain: "The origin cloudflared reaches is a proxy (nginx, Caddy, Traefik) that answered 502/503/504 " +
			"itself, and its log names the upstream it could not reach (`connect() failed (111: Connection " +
			"refused) while connecting to upstream, ... upstream: \"fastcgi://172.18.0.5:9000\"`). tunneldoctor " +
			"follows that one hop to the container the address or name belongs to and reports its state: " +
			"exited, OOM-killed, restarting, or running but not listening on that port.",
		Fix:   "Fix the upstream container the proxy names (start it, raise its memory limit, make it listen on the port the proxy uses), not the tunnel.",
		Needs: []string{agent.SourceProbes, agent.SourceDocker},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runUpstreamDown(c, s) }
	return c
}

func runUpstreamDown(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	d := s.Docker
	for _, r := range results(s) {
		if r.HTTP == nil || r.HTTP.Status < 502 || r.HTTP.Status > 504 {
			continue
		}
		o := agent.ProbedContainer(d.Topology, d.Cloudflared, r)
		if o == nil {
			continue
		}
		ups := agent.UpstreamsInLog(d.Logs[o.ID])
		if len(ups) == 0 {
			continue
		}
		u := ups[0] // the newest failure
		msg, fix, up := upstreamVerdict(s, r.Target, r.HTTP.Status, o, u)
		f := probeFinding(c, agent.Error, s, r, msg, fix)
		f.Hop = agent.HopOrigin
		f.Evidence["origin_container"] = o.Name
		f.Evidence["origin_log"] = clip(u.Line, 400)
		f.Evidence["upstream"] = upstreamURL(u)
		f.Evidence["upstream_error"] = u.Error
		f.Evidence[agent.EvidenceSubject] = upstreamURL(u)
		if up != nil {
			f.Evidence["upstream_container"] = up.Name
			f.Evidence["upstream_state"] = up.State
			if up.Inspected && !up.Running() {
				f.Evidence["upstream_exit_code"] = fmt.Sprint(up.ExitCode)
			}
			if up.OOMKilled {
				f.Evidence["upstream_oom_killed"] = "true"
			}
			if lines := d.Logs[up.ID]; len(lines) > 0 {
				f.Evidence["upstream_last_log"] = strings.Join(lines, "\n")
			}
		}
		out = append(out, f)
	}
	return out
}

func upstreamURL(u agent.Upstream) string {
	if u.Scheme == "" {
		return u.Address()
	}
	return u.Scheme + "://" + u.Address()
}

// upstreamVerdict follows the upstream one hop from the origin's namespace
// and says what is wrong there.
func upstreamVerdict(s *agent.Snapshot, t probe.Target, status int, o *dockernet.Container, u agent.Upstream) (msg, fix string, up *dockernet.Container) {
	lead := fmt.Sprintf("%s: %s answered %d itself; its log says its upstream %s failed (%s)",
		ruleName(t), o.Name, status, upstreamURL(u), u.Error)
	res := s.Docker.Topology.Resolve(o, u.Host)
	var cands []*dockernet.Container
	for _, a := range res.Answers {
		if a.Container.ID != o.ID {
			cands = append(cands, a.Container)
		}
	}
	elsewhere := len(cands) == 0
	if elsewhere {
		for _, a := range res.Elsewhere {
			cands = append(cands, a.Container)
		}
	}
	if len(cands) == 0 {
		return lead + fmt.Sprintf(", and no container answers to %q on %s's networks (%s).", u.Host, o.Name, joinOr(o.NetworkNames(), "none")),
			fmt.Sprintf("Start the upstream container, or point %s's upstream at the name of a running container on its network (its compose service name survives re-creation).", o.Name), nil
	}
	up = cands[0]
	for _, c := range cands { // among replicas, the one that is down
		if !c.Running() {
			up = c
			break
		}
	}
	who := upstreamWho(up, o)
	switch {
	case elsewhere:
		nets := up.NetworkNames()
		return lead + fmt.Sprintf(": %s, which is not on a network %s shares (it is on %s).", who, o.Name, joinOr(nets, "none")),
			fmt.Sprintf("docker network connect %s %s\nand put both services on one network in compose.", firstOr(nets, "NETWORK"), o.Name), up
	case up.State == "paused":
		return lead + ": " + who + ", which is paused.", "docker unpause " + up.Name, up
	case up.State == "restarting":
		return lead + fmt.Sprintf(": %s, which keeps restarting (%d restarts).", who, up.RestartCount),
			fmt.Sprintf("%s\nfix what makes it crash; the proxy recovers once it stays up.", logsHint(up)), up
	case !up.Running() && oomKilled(up):
		return lead + fmt.Sprintf(": %s, which was killed for running out of memory (exit code %d).", who, up.ExitCode), oomExitFix(up), up
	case !up.Running():
		m := lead + fmt.Sprintf(": %s, which is %s", who, up.State)
		if up.Inspected {
			m += fmt.Sprintf(" (exit code %d%s)", up.ExitCode, exitMeaning(up.ExitCode))
		}
		return m + ".", fmt.Sprintf("%s\ndocker start %s\nand keep it up with restart: unless-stopped on its compose service %s.",
			logsHint(up), up.Name, composeName(up)), up
	}
	port := "the port"
	if u.Port > 0 {
		port = fmt.Sprintf("port %d", u.Port)
	}
	if u.Error == "connection refused" {
		return lead + fmt.Sprintf(": %s is running but nothing listens on %s there.", who, port),
			fmt.Sprintf("Make %s listen on %s on all interfaces (0.0.0.0, not 127.0.0.1; e.g. php-fpm `listen = 9000`, not `listen = 127.0.0.1:9000`), "+
				"or point %s's upstream at the port it does listen on. %s shows what it bound.", up.Name, port, o.Name, logsHint(up)), up
	}
	return lead + fmt.Sprintf(": %s is running.", who),
		fmt.Sprintf("%s\nand check that %s answers on %s from %s's network.", logsHint(up), up.Name, port, o.Name), up
}

// upstreamWho names the upstream container: "172.18.0.5 is container
// shop-php-1 (compose service php)".
func upstreamWho(up, from *dockernet.Container) string {
	addr := ""
	for _, e := range up.Endpoints {
		for _, fe := range from.Endpoints {
			if e.NetworkID == fe.NetworkID && e.IPv4 != "" {
				addr = e.IPv4
			}
		}
	}
	s := "container " + dockernet.Describe(up)
	if addr != "" {
		s += " at " + addr
	}
	return s
}

func firstOr(items []string, none string) string {
	if len(items) == 0 {
		return none
	}
	return items[0]
}
