package main

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/collect"
)

// checkExit is the exit code of `check`: the findings' verdict, except that
// exit 0 is only given when the hops the user asked about were checked.
// why says what was not, for stderr ("" when the verdict stands).
//
//   - Neither the ingress rules nor cloudflared could be read (no Docker,
//     no cloudflared): 3, whatever --fail-on says: every hostname check
//     was skipped, so no verdict about the tunnel exists.
//   - An explicit --metrics that did not answer, or ingress rules that no
//     source gave (a broken /config): never 0; 3 when nothing else failed.
func checkExit(snap *agent.Snapshot, findings []agent.Finding, failOn agent.Severity, opts collect.Options) (exit int, why string) {
	exit = agent.ExitCode(findings, failOn)
	if !examinedTunnel(snap) {
		return agent.ExitCantRun, notExaminedReason(snap)
	}
	if exit == agent.ExitErrors && onlyBlind(findings) {
		return agent.ExitCantRun, "tunneldoctor could not examine the tunnel fully; every error is about its own view (AGT), none about the request path"
	}
	if exit != agent.ExitHealthy {
		return exit, ""
	}
	if m := opts.Cloudflared.Metrics; m != "" && opts.Cloudflared.Disabled == "" && snap.Cloudflared.MetricsAddr == "" {
		reason := snap.Cloudflared.MetricsError
		if reason == "" {
			reason = snap.Cloudflared.Missing
		}
		return agent.ExitCantRun, fmt.Sprintf("--metrics %s did not answer (%s): the tunnel was not checked", m, reason)
	}
	if !snap.Ingress.Available() {
		return agent.ExitCantRun, "the ingress rules could not be read (" + snap.Ingress.Missing + "): no hostname was checked"
	}
	return exit, ""
}

// onlyBlind reports whether every error is about tunneldoctor's own view
// (it could not choose cloudflared, reach Docker, see from its namespace):
// then the verdict on the tunnel is unknown, not "errors found".
func onlyBlind(findings []agent.Finding) bool {
	for _, f := range findings {
		if f.Severity == agent.Error && !agent.AboutTunneldoctor(f) {
			return false
		}
	}
	return true
}

// notExaminedReason says why neither the ingress nor cloudflared was seen,
// each reason once: the ingress reason usually quotes cloudflared's.
func notExaminedReason(snap *agent.Snapshot) string {
	var parts []string
	for _, m := range []string{snap.Ingress.Missing, snap.Cloudflared.Missing} {
		if m == "" || strings.Contains(strings.Join(parts, "; "), m) {
			continue
		}
		parts = append(parts, m)
	}
	if len(parts) == 0 {
		return "could not examine the tunnel"
	}
	return "could not examine the tunnel: " + strings.Join(parts, "; ")
}
