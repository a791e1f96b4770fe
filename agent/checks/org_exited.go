package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// orgExited: the origin container is not running at all.
func orgExited() agent.Check {
	c := agent.Check{
		Code:     "ORG001",
		Title:    "Origin container is not running",
		Hop:      agent.HopOrigin,
		Severity: agent.Error,
		Explain: "The container the rule points at has exited (or was created and never started). A " +
			"stopped container is removed from Docker's DNS, so cloudflared cannot resolve or reach it: " +
			"502 for visitors.",
		Fix: "Read its log (docker logs CONTAINER), fix the cause, start it (docker start CONTAINER), and give it " +
			"restart: unless-stopped (docker update --restart unless-stopped CONTAINER when it was started with docker run).",
		Needs: orgNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runExited(c, s) }
	return c
}

func runExited(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, o := range ruleOrigins(s) {
		if !exitedState(o.c.State) {
			continue
		}
		msg := fmt.Sprintf("%s: origin container %s is %s", ruleLabel(o.t), o.c.Name, o.c.State)
		if !o.c.Inspected {
			msg += " (" + o.c.Status + "; exit details unknown: " + o.c.InspectError + ")"
		} else if o.c.State == "exited" || o.c.State == "dead" {
			msg += fmt.Sprintf(" (exit code %d%s)", o.c.ExitCode, exitMeaning(o.c.ExitCode))
			if !o.c.FinishedAt.IsZero() {
				msg += " since " + o.c.FinishedAt.UTC().Format("2006-01-02 15:04:05Z")
			}
		}
		msg += "."
		fix := fmt.Sprintf("%s\ndocker start %s\n%s", logsHint(o.c), o.c.Name, keepUpHint(o.c))
		if oomKilled(o.c) {
			fix = oomExitFix(o.c)
		}
		f := orgFinding(c, agent.Error, s, o, msg, fix)
		if o.c.Inspected {
			f.Evidence["exit_code"] = fmt.Sprint(o.c.ExitCode)
		}
		if o.c.Error != "" {
			f.Evidence["docker_error"] = o.c.Error
		}
		out = append(out, f)
	}
	return out
}

// keepUpHint is how to give c a restart policy: on its compose service, or
// for a container started with docker run, docker update (or the flag on
// the command that creates it).
func keepUpHint(c *dockernet.Container) string {
	if composeManaged(c) {
		return fmt.Sprintf("and keep it up with restart: unless-stopped on its compose service %s.", composeName(c))
	}
	return fmt.Sprintf("and keep it up: docker update --restart unless-stopped %s (or --restart unless-stopped on its docker run).", c.Name)
}

// exitedState reports whether a container in state is ORG001's: not
// running and not coming back on its own.
func exitedState(state string) bool {
	switch state {
	case "exited", "dead", "created", "removing":
		return true
	}
	return false
}

// exitMeaning explains the common exit codes.
func exitMeaning(code int) string {
	switch code {
	case 137:
		return ": killed, SIGKILL (out of memory, or docker kill/stop timeout)"
	case 143:
		return ": stopped, SIGTERM"
	case 139:
		return ": segmentation fault"
	case 126, 127:
		return ": its command could not be run"
	case 0:
		return ": it finished on its own"
	}
	return ""
}
