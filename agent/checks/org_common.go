package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Helpers shared by the origin-container checks (org_*.go).

// orgNeeds is what every origin-container check reads.
var orgNeeds = []string{agent.SourceDocker, agent.SourceIngress}

// originOf is one rule and one container it points at.
type originOf struct {
	t netTarget
	c *dockernet.Container
	// via says how a cloudflared on the host reaches c ("publishes host
	// port 8080 (127.0.0.1:8080->80/tcp)"); "" otherwise.
	via string
}

// ruleOrigins pairs every rule with the containers its host reaches from
// cloudflared (or, when it reaches none, the containers that answer the
// name elsewhere: their state matters as much).
func ruleOrigins(s *agent.Snapshot) []originOf {
	if s.HostMode() {
		return hostRuleOrigins(s) // cloudflared on the host: net_host_common.go
	}
	var out []originOf
	for _, t := range netTargets(s) {
		as := t.res.Answers
		if len(as) == 0 {
			as = t.res.Elsewhere
		}
		if t.res.Kind == dockernet.ResolveLoopback {
			continue // the namespace's other containers are not necessarily the origin
		}
		for _, c := range answerContainers(as) {
			if c.ID != s.Docker.Cloudflared.ID {
				out = append(out, originOf{t: t, c: c})
			}
		}
	}
	return out
}

// orgFinding starts a finding about one origin container of a rule, with
// its state and its last log lines (already redacted by the collector).
func orgFinding(c agent.Check, sev agent.Severity, s *agent.Snapshot, o originOf, msg, fix string) agent.Finding {
	f := c.Finding(sev, msg)
	f.Rule, f.Hostname, f.Service, f.Fix = o.t.rule.Index, o.t.rule.Hostname, o.t.rule.Service, fix
	f.Evidence = map[string]string{
		agent.EvidenceSubject: o.c.Name,
		"origin_container":    o.c.Name,
		"image":               o.c.Image,
		"state":               o.c.State,
	}
	if o.c.Status != "" {
		f.Evidence["status"] = o.c.Status
	}
	if o.via != "" {
		f.Evidence["reached_via"] = o.via
	}
	if o.c.RestartCount > 0 {
		f.Evidence["restart_count"] = fmt.Sprint(o.c.RestartCount)
	}
	if lines := s.Docker.Logs[o.c.ID]; len(lines) > 0 {
		f.Evidence["last_log"] = strings.Join(lines, "\n")
	} else if why := s.Docker.LogErrors[o.c.ID]; why != "" {
		f.Evidence["last_log"] = "(not read: " + why + ")"
	}
	return f
}

// logsHint is the command that shows more of the container's log.
func logsHint(c *dockernet.Container) string {
	return "docker logs --tail 100 " + c.Name
}
