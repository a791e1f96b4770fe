package checks

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Helpers shared by the tunnel-hop checks (tun_*.go).

var needCloudflared = []string{agent.SourceCloudflared}

// cfName names cloudflared for messages: its container, or "cloudflared".
func cfName(f *agent.CloudflaredFacts) string {
	if f.Container != "" {
		return "cloudflared (container " + f.Container + ")"
	}
	return "cloudflared"
}

// containerRef is what to pass to docker commands in fixes.
func containerRef(f *agent.CloudflaredFacts) string {
	if f.Container != "" {
		return f.Container
	}
	return "cloudflared"
}

// notRunning reports whether cloudflared's container is known not to serve:
// stopped, dead, created, paused, or between restarts.
func notRunning(f *agent.CloudflaredFacts) bool {
	return f.Process != nil && f.Process.State != "running"
}

// crashLooping reports whether Docker keeps restarting cloudflared: it is
// between restarts, or has restarted 3+ times, started again within the last
// 5 minutes and is not connected. An old restart count on a cloudflared
// that now works is history.
func crashLooping(s *agent.Snapshot) bool {
	p := s.Cloudflared.Process
	if p == nil {
		return false
	}
	if p.State == "restarting" {
		return true
	}
	recent := p.StartedAt.IsZero() || s.Taken.IsZero() || s.Taken.Sub(p.StartedAt) < 5*time.Minute
	return p.RestartCount >= 3 && recent && !connected(&s.Cloudflared)
}

// connected is true only when cloudflared is known to hold an edge connection.
func connected(f *agent.CloudflaredFacts) bool {
	v := f.Connected()
	return v != nil && *v
}

// current returns the log events since cloudflared last registered a
// connection when it is not connected now; all events otherwise. Failures
// older than the last registration are history, not the cause.
func current(f *agent.CloudflaredFacts) []cloudflared.Event {
	ev := f.Events
	if connected(f) {
		return ev
	}
	for i := len(ev) - 1; i >= 0; i-- {
		if ev[i].Kind == cloudflared.KindRegistered {
			return ev[i+1:]
		}
	}
	return ev
}

// lastOf returns the newest event of one of the kinds.
func lastOf(ev []cloudflared.Event, kinds ...cloudflared.Kind) (cloudflared.Event, int, bool) {
	n := 0
	var last cloudflared.Event
	for _, e := range ev {
		for _, k := range kinds {
			if e.Kind == k {
				last = e
				n++
			}
		}
	}
	return last, n, n > 0
}

// fatalCauses are the log events that explain a cloudflared that exits or
// never connects; each has its own check. TUN001/TUN008 stay quiet when one
// of them is present, so one failure gives one finding.
var fatalCauses = []cloudflared.Kind{
	cloudflared.KindInvalidToken, cloudflared.KindFlagAfterRun, cloudflared.KindEdgeDNSFailure,
	cloudflared.KindStartFailed, cloudflared.KindUnauthorized, cloudflared.KindTCPBlocked,
	cloudflared.KindQUICBlocked,
}

func hasFatalCause(f *agent.CloudflaredFacts) bool {
	_, _, ok := lastOf(current(f), fatalCauses...)
	return ok
}

// tunnelEvidence is the evidence every tunnel finding carries.
func tunnelEvidence(f *agent.CloudflaredFacts) map[string]string {
	e := map[string]string{}
	if f.Container != "" {
		e["container"] = f.Container
	}
	if p := f.Process; p != nil {
		e["state"] = p.State
		if p.State != "running" {
			e["exit_code"] = fmt.Sprint(p.ExitCode)
		}
		if p.RestartCount > 0 {
			e["restart_count"] = fmt.Sprint(p.RestartCount)
		}
	}
	if r := f.Ready; r != nil {
		e["ready"] = fmt.Sprintf("HTTP %d, readyConnections %d", r.Status, r.ReadyConnections)
	} else if f.ReadyError != "" {
		e["ready_error"] = f.ReadyError
	}
	if f.MetricsAddr != "" {
		e["metrics_server"] = f.MetricsAddr
	}
	return e
}

// eventFinding starts a finding evidenced by a log event.
func eventFinding(c agent.Check, sev agent.Severity, f *agent.CloudflaredFacts, ev cloudflared.Event, n int, msg, fix string) agent.Finding {
	out := c.Finding(sev, msg)
	out.Fix = fix
	out.Evidence = tunnelEvidence(f)
	out.Evidence["log_line"] = ev.Line
	if n > 1 {
		out.Evidence["occurrences"] = fmt.Sprintf("%d in the last %d log lines", n, f.LogLines)
	}
	if !ev.Time.IsZero() {
		out.Evidence["logged_at"] = ev.Time.UTC().Format("2006-01-02T15:04:05Z")
	}
	return out
}

// commandFix renders a corrected command line as the fix shows it: the
// compose `command:` (what follows the image's entrypoint) and the full line.
// tunnelcfg.FixCommandLine puts every flag where cloudflared's flag table
// says it belongs (extra: flag/value pairs to add before `run`, e.g.
// "--metrics", "0.0.0.0:20241"); "" when the command line has no `run`.
func commandFix(f *agent.CloudflaredFacts, extra ...string) string {
	fixed := tunnelcfg.FixCommandLine(f.Command, extra...)
	if fixed == nil {
		return ""
	}
	full := strings.Join(fixed, " ")
	cmd := fixed
	switch {
	case len(f.Entrypoint) == 0:
		if len(cmd) > 0 && cmd[0] == "cloudflared" {
			cmd = cmd[1:]
		}
	case len(cmd) >= len(f.Entrypoint) && slices.Equal(cmd[:len(f.Entrypoint)], f.Entrypoint):
		cmd = cmd[len(f.Entrypoint):]
	default: // a flag had to leave the image's entrypoint: only the full line fixes it
		return fmt.Sprintf("Run cloudflared as: %s", full)
	}
	return fmt.Sprintf("In compose: `command: %s`\n(full command line: %s)", strings.Join(cmd, " "), full)
}

// isLoopbackBind reports whether a listen host is loopback-only (not
// 0.0.0.0 or "", which listen everywhere).
func isLoopbackBind(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
