package checks

import "github.com/tunneldoctor/tunneldoctor/agent"

// checkPanicked documents the finding the runner (agent.Run) emits when a
// check crashes. It judges nothing itself, so it is not in All(): it is
// listed by Documented() for `explain` and the README table.
var checkPanicked = agent.Check{
	Code:     agent.CodeCheckPanicked,
	Title:    "A check crashed",
	Hop:      agent.HopTunnel,
	Severity: agent.Error,
	Explain: "One of tunneldoctor's checks panicked on the facts of this run. The run went on, " +
		"but that check's verdict is missing from the report. This is a tunneldoctor bug, not a " +
		"problem with your tunnel.",
	Fix: "Report it with the finding's evidence (check code, panic, stack) and, if you can, " +
		"`tunneldoctor check --output json` with secrets removed.",
}
