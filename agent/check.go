package agent

// Check is one judgement over a Snapshot. Its code, title, explanation and
// fix live beside its logic (one file per check in agent/checks), so docs and
// `tunneldoctor explain` can never drift from what the check does.
type Check struct {
	Code     string   // stable, e.g. "ING001"; never reused
	Title    string   // short, for tables
	Hop      string   // one of the Hop* constants
	Severity Severity // the usual severity of its findings (documentation)
	Explain  string   // what it means, in a sentence or three
	Fix      string   // the generic fix; findings carry the specific one
	// Needs names the fact sources the check reads ("ingress", "docker",
	// "cloudflared", "probes", "edge"). When one is unavailable the runner
	// reports the check as skipped with that source's reason, so Run is only
	// called with the facts it needs.
	Needs []string
	Run   func(*Snapshot) []Finding
}

// Finding starts a finding of this check with its code, hop and severity.
func (c Check) Finding(sev Severity, msg string) Finding {
	return Finding{Code: c.Code, Severity: sev, Hop: c.Hop, Rule: NoRule, Message: msg}
}
