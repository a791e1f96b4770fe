package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// noTLSVerifyUnneeded: noTLSVerify is set although verification would pass.
func noTLSVerifyUnneeded() agent.Check {
	c := agent.Check{
		Code:     "PRB004",
		Title:    "noTLSVerify is set but not needed",
		Hop:      agent.HopProtocol,
		Severity: agent.Warn,
		Explain: "noTLSVerify: true turns off certificate verification, so anyone on the path to the " +
			"origin can impersonate it. tunneldoctor still verifies the certificate: when it verifies as is, " +
			"or with a name the certificate holds (originServerName), the setting only weakens the tunnel.",
		Fix:   "Remove noTLSVerify: true, adding originServerName: <name> when the service host is not on the certificate.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runNoTLSVerifyUnneeded(c, s) }
	return c
}

func runNoTLSVerifyUnneeded(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		t := r.Target
		if !t.NoTLSVerify || r.TLS == nil || r.TLS.Verify == nil {
			continue
		}
		var msg, fix string
		switch {
		case r.TLS.Verify.OK:
			msg = fmt.Sprintf("%s sets noTLSVerify: true, yet the certificate of %s verifies for %q: the setting only weakens the tunnel.",
				ruleName(t), targetAddress(t), r.TLS.Verify.Name)
			fix = "Delete the line noTLSVerify: true from the rule (and from the top-level originRequest if it is set there)."
		case r.TLS.VerifyWithSAN != nil && r.TLS.VerifyWithSAN.OK:
			name := r.TLS.VerifyWithSAN.Name
			msg = fmt.Sprintf("%s sets noTLSVerify: true, yet the certificate of %s verifies for %q, a name it holds: originServerName is enough.",
				ruleName(t), targetAddress(t), name)
			lines := []string{"originServerName: " + name}
			if t.CAPool != "" {
				lines = append(lines, "caPool: "+t.CAPool) // it verified with this pool
			}
			fix = "Replace noTLSVerify: true with originServerName:\n" + ruleYAML(t, t.Service, lines...)
		default:
			continue
		}
		f := probeFinding(c, agent.Warn, s, r, msg, fix)
		addCertEvidence(f.Evidence, r.TLS)
		out = append(out, f)
	}
	return out
}
