package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// expirySoon is how early an expiring origin certificate is reported.
const expirySoon = 14 * 24 * time.Hour

// certExpiry: the origin certificate is expired, not yet valid, or close.
func certExpiry() agent.Check {
	c := agent.Check{
		Code:     "PRB003",
		Title:    "Origin certificate expired or expiring",
		Hop:      agent.HopProtocol,
		Severity: agent.Error,
		Explain: "cloudflared refuses an expired or not-yet-valid origin certificate (502 for visitors). " +
			"Under noTLSVerify it is accepted, which hides the problem until the setting is removed; it is " +
			"reported anyway. A certificate that expires within 14 days is a warning.",
		Fix:   "Renew the origin's certificate (or fix the origin host's clock for not-yet-valid) and reload the origin.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runCertExpiry(c, s) }
	return c
}

func runCertExpiry(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	now := s.Taken
	for _, r := range results(s) {
		if r.TLS == nil || len(r.TLS.Chain) == 0 {
			continue
		}
		t, leaf := r.Target, r.TLS.Chain[0]
		enforced := !t.NoTLSVerify
		var sev agent.Severity
		var msg string
		switch {
		case now.After(leaf.NotAfter):
			sev, msg = agent.Warn, fmt.Sprintf("%s: the certificate of %s expired on %s (%s ago)",
				ruleName(t), targetAddress(t), leaf.NotAfter.UTC().Format("2006-01-02"), until(now.Sub(leaf.NotAfter)))
		case now.Before(leaf.NotBefore):
			sev, msg = agent.Warn, fmt.Sprintf("%s: the certificate of %s is not valid before %s (check the clock of the host that issued it)",
				ruleName(t), targetAddress(t), leaf.NotBefore.UTC().Format(time.RFC3339))
		case leaf.NotAfter.Sub(now) < expirySoon:
			f := probeFinding(c, agent.Warn, s, r,
				fmt.Sprintf("%s: the certificate of %s expires on %s, in %s; after that cloudflared refuses it and visitors get 502.",
					ruleName(t), targetAddress(t), leaf.NotAfter.UTC().Format("2006-01-02 15:04 MST"), until(leaf.NotAfter.Sub(now))),
				"Renew the certificate for "+sansOf(r.TLS)+" before "+leaf.NotAfter.UTC().Format("2006-01-02")+" and reload the origin.")
			addCertEvidence(f.Evidence, r.TLS)
			out = append(out, f)
			continue
		default:
			continue
		}
		if enforced {
			sev, msg = agent.Error, msg+": cloudflared refuses it and visitors get 502."
		} else {
			msg += ": noTLSVerify hides it, so visitors are served, but the origin's identity is unchecked."
		}
		f := probeFinding(c, sev, s, r, msg,
			"Renew the certificate for "+sansOf(r.TLS)+" (or fix the issuing host's clock) and reload the origin.")
		addCertEvidence(f.Evidence, r.TLS)
		out = append(out, f)
	}
	return out
}

// sansOf names what the leaf certificate covers, for fix texts.
func sansOf(tp *probe.TLSPhase) string {
	c := tp.Chain[0]
	names := append(append([]string{}, c.DNSNames...), c.IPs...)
	if len(names) == 0 {
		return c.Subject
	}
	return strings.Join(names, ", ")
}
