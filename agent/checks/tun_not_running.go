package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
)

// tunNotRunning: cloudflared's container is stopped or crash-looping and no
// more specific cause was found in its logs.
func tunNotRunning() agent.Check {
	c := agent.Check{
		Code:     "TUN001",
		Title:    "cloudflared is not running",
		Hop:      agent.HopTunnel,
		Severity: agent.Error,
		Explain: "cloudflared's container has stopped, or Docker keeps restarting it. With no cloudflared " +
			"holding a connection, Cloudflare answers every hostname of the tunnel with error 1033 (HTTP 530).",
		Fix:   "Read the end of cloudflared's log (`docker logs --tail 50 <container>`), fix what it says, and start it again.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runNotRunning(c, s) }
	return c
}

func runNotRunning(c agent.Check, s *agent.Snapshot) []agent.Finding {
	f := &s.Cloudflared
	if !(notRunning(f) || crashLooping(s)) || hasFatalCause(f) {
		return nil
	}
	p := f.Process
	var msg string
	switch {
	case p.State == "running" && p.RestartCount >= 3:
		// Docker counts the restart and resets State.ExitCode to 0 as it
		// starts the container again: while it runs, the last exit code
		// is not in the facts, and "0" would be a false one.
		msg = fmt.Sprintf("%s is crash-looping: Docker has restarted it %d times (it is starting again; the last exit code is unknown while it runs).",
			cfName(f), p.RestartCount)
	case p.State == "restarting":
		msg = fmt.Sprintf("%s is crash-looping: Docker has restarted it %d times (last exit code %d).", cfName(f), p.RestartCount, p.ExitCode)
	default:
		msg = fmt.Sprintf("%s is %s (exit code %d), so the tunnel has no connector.", cfName(f), p.State, p.ExitCode)
	}
	out := c.Finding(agent.Error, msg)
	out.Evidence = tunnelEvidence(f)
	fix := fmt.Sprintf("Read why it stopped: `docker logs --tail 50 %s`, fix that, then `docker start %s`.", containerRef(f), containerRef(f))
	if e, _, ok := lastOf(current(f), cloudflared.KindCredentialsMissing, cloudflared.KindTunnelIDMissing, cloudflared.KindShutdown); ok {
		out.Message = strings.TrimSuffix(msg, ".") + ": " + firstSentence(e.Cause) + "."
		out.Evidence["log_line"] = e.Line
		switch e.Kind {
		case cloudflared.KindCredentialsMissing:
			fix = "Mount the tunnel's credentials file where --credentials-file (or credentials-file: in config.yml) points, " +
				"or run the tunnel with its token: `tunnel run --token <token>`."
		case cloudflared.KindTunnelIDMissing:
			fix = "Tell cloudflared which tunnel to run: `tunnel run --token <token>` (TUNNEL_TOKEN), " +
				"or `tunnel: <UUID>` in config.yml, or the tunnel name after `run`."
		}
	} else if f.LogsError != "" {
		out.Evidence["logs_error"] = f.LogsError
	}
	if p.State == "exited" && p.ExitCode == 0 {
		fix += " An exit code of 0 with no error usually means a usage error (a flag cloudflared rejected) or a `docker stop`."
	}
	out.Fix = fix
	return []agent.Finding{out}
}

// firstSentence keeps the first line of a multi-line error.
func firstSentence(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSuffix(strings.TrimSpace(s), ".")
}
