package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// orgOOM: the origin container was killed for running out of memory.
func orgOOM() agent.Check {
	c := agent.Check{
		Code:     "ORG003",
		Title:    "Origin container was killed for running out of memory",
		Hop:      agent.HopOrigin,
		Severity: agent.Error,
		Explain: "The kernel killed the origin's process because the container hit its memory limit " +
			"(exit code 137, OOMKilled). Docker clears the flag on the next start, so a restarting " +
			"container may hide it; its restart count and log tell the rest. When Docker lost the flag (the OOM " +
			"event raced the exit), a SIGKILL under a memory limit is reported as a probable OOM kill, as a warning.",
		Fix:   "Raise the container's memory limit (deploy.resources.limits.memory / mem_limit) or reduce the app's memory use.",
		Needs: orgNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runOOM(c, s) }
	return c
}

func runOOM(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, o := range ruleOrigins(s) {
		// Docker sometimes never records OOMKilled: when containerd delivers
		// the OOM event after the exit event, the flag is lost. SIGKILL
		// (exit 137) under a memory limit is then the likely story, said as
		// an inference at warning level.
		inferred := !o.c.OOMKilled && !o.c.Running() && o.c.ExitCode == 137 && o.c.MemoryLimit > 0
		if !o.c.OOMKilled && !inferred {
			continue
		}
		limit := "no memory limit of its own (the host ran out)"
		if o.c.MemoryLimit > 0 {
			limit = "a memory limit of " + mib(o.c.MemoryLimit)
		}
		sev, verdict, recorded := agent.Error, "was OOM-killed", "true"
		if inferred {
			sev, verdict = agent.Warn, "was probably OOM-killed: it died of SIGKILL (exit code 137), though Docker did not record OOMKilled"
			recorded = "not recorded; inferred from exit code 137 under a memory limit"
		}
		msg := fmt.Sprintf("%s: origin container %s %s (%s).", ruleLabel(o.t), o.c.Name, verdict, limit)
		fix := "Give it more memory, " + memoryLimitFix(o.c, suggestedLimit(o.c.MemoryLimit)) + "\nor reduce the app's memory use."

		f := orgFinding(c, sev, s, o, msg, fix)
		f.Evidence["oom_killed"] = recorded
		if o.c.MemoryLimit > 0 {
			f.Evidence["memory_limit"] = mib(o.c.MemoryLimit)
		}
		out = append(out, f)
	}
	return out
}

// mib renders bytes as compose understands them ("512m").
func mib(b int64) string {
	return fmt.Sprintf("%dm", b>>20)
}

// suggestedLimit doubles a limit; without one, it proposes a first one.
func suggestedLimit(limit int64) string {
	if limit <= 0 {
		return "512m"
	}
	return mib(2 * limit)
}

// memoryLimitFix raises a container's memory limit to want the way it was
// created: in its compose service, or with docker update on a container
// started with docker run (which changes the existing container, live; the
// swap limit may not stay below the memory limit, so it moves too).
func memoryLimitFix(c *dockernet.Container, want string) string {
	if composeManaged(c) {
		return fmt.Sprintf("e.g. in compose (then docker compose up -d %[1]s, or docker-compose up -d %[1]s):\nservices:\n  %[1]s:\n    mem_limit: %[2]s", composeName(c), want)
	}
	return fmt.Sprintf("e.g.:\ndocker update --memory %[1]s --memory-swap %[1]s %[2]s\n(or --memory %[1]s on its docker run)", want, c.Name)
}
