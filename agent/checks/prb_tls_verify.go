package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// tlsVerify: cloudflared cannot verify the origin's certificate.
func tlsVerify() agent.Check {
	c := agent.Check{
		Code:     "PRB002",
		Title:    "Origin certificate does not verify",
		Hop:      agent.HopProtocol,
		Severity: agent.Error,
		Explain: "cloudflared verifies an https:// origin's certificate against the system roots plus " +
			"originRequest.caPool, for the name originServerName (else the service host). A self-signed or " +
			"private-CA certificate (\"signed by unknown authority\"), a certificate for another name " +
			"(\"valid for X, not Y\") or an IP origin without IP SANs fails the handshake: visitors get 502.",
		Fix: "In this order, the least weakening first: originServerName: <a name the certificate is valid for>; " +
			"caPool: <the CA that issued it, mounted into cloudflared>; only as a last resort noTLSVerify: true.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runTLSVerify(c, s) }
	return c
}

func runTLSVerify(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		t := r.Target
		if r.TLS == nil || r.TLS.Verify == nil || r.TLS.Verify.OK || t.NoTLSVerify {
			continue
		}
		switch r.TLS.Verify.Cause {
		case probe.CauseUnknownAuthority, probe.CauseNameMismatch, probe.CauseIPWithoutSAN, probe.CauseCertInvalid:
		default:
			continue // expiry is PRB003's
		}
		if r.TLS.Verify.Cause == probe.CauseUnknownAuthority && r.TLS.CAPool != nil && r.TLS.CAPool.Unreadable {
			// cloudflared refuses to load a rule whose caPool it cannot
			// read, so it has the file: only tunneldoctor lacks it. An
			// unknown, not an observed fault: info, with the mount to add.
			msg := fmt.Sprintf("%s: tunneldoctor cannot read caPool %s (a path inside cloudflared's container), and without it the certificate of %s "+
				"(issued by %s) does not verify; whether cloudflared, which has the file, trusts it is unknown.",
				ruleName(t), t.CAPool, targetAddress(t), issuerOf(r.TLS))
			f := probeFinding(c, agent.Info, s, r, msg, caPoolMountFix(s, t.CAPool))
			addCertEvidence(f.Evidence, r.TLS)
			out = append(out, f)
			continue
		}
		msg := fmt.Sprintf("%s: cloudflared cannot verify the certificate of %s (%s): visitors get 502.",
			ruleName(t), targetAddress(t), verifyReason(r.TLS))
		f := probeFinding(c, agent.Error, s, r, msg, tlsFixes(t, r.TLS))
		addCertEvidence(f.Evidence, r.TLS)
		out = append(out, f)
	}
	return out
}

func verifyReason(t *probe.TLSPhase) string {
	switch t.Verify.Cause {
	case probe.CauseUnknownAuthority:
		if len(t.Chain) > 0 && t.Chain[0].SelfSigned {
			return "it is self-signed"
		}
		return "it is signed by an authority cloudflared does not trust"
	case probe.CauseNameMismatch:
		return fmt.Sprintf("it is not valid for %q", t.Verify.Name)
	case probe.CauseIPWithoutSAN:
		return fmt.Sprintf("it has no IP SAN for %s", t.Verify.Name)
	}
	return t.Verify.Error
}

// tlsFixes lists the fixes from least to most weakening: a verifiable name,
// then the CA, then noTLSVerify as the named last resort.
func tlsFixes(t probe.Target, tp *probe.TLSPhase) string {
	var steps, lines []string
	nameBad := tp.Verify.Cause == probe.CauseNameMismatch || tp.Verify.Cause == probe.CauseIPWithoutSAN
	chainBad := tp.ChainTrusted != nil && !tp.ChainTrusted.OK
	if nameBad && tp.VerifyWithSAN != nil {
		line := "originServerName: " + tp.VerifyWithSAN.Name
		lines = append(lines, line)
		step := "set " + line + " (a name the certificate is valid for)"
		if tp.VerifyWithSAN.OK {
			step += "; that alone makes it verify"
		}
		steps = append(steps, step)
	} else if nameBad {
		steps = append(steps, "reissue the certificate with a SAN for "+tp.Verify.Name)
	}
	if chainBad && incompleteChain(tp) {
		steps = append(steps, "serve the full chain on the origin (certificate plus the intermediate that issued it, "+
			issuerOf(tp)+"): it sends only its own certificate, which verifies only where that intermediate is already known")
	}
	if chainBad {
		path := t.CAPool
		if path == "" {
			path = "/etc/cloudflared/origin-ca.pem"
		}
		lines = append(lines, "caPool: "+path)
		what := "the CA certificate that issued it (" + issuerOf(tp) + ")"
		if len(tp.Chain) > 0 && tp.Chain[0].SelfSigned {
			what = "the self-signed certificate itself"
		}
		step := "set caPool: " + path + " holding " + what + " in PEM, mounted read-only into cloudflared"
		if tp.CAPool != nil && tp.CAPool.Error != "" {
			step += " (now: " + tp.CAPool.Error + ")"
		}
		steps = append(steps, step)
	}
	if !chainBad && t.CAPool != "" {
		// The chain verifies through the rule's caPool: the rule as it
		// should read keeps it, or copying the YAML would break the chain.
		lines = append(lines, "caPool: "+t.CAPool)
	}
	steps = append(steps, "last resort only: noTLSVerify: true turns verification off entirely (anyone on the path to the origin can impersonate it)")
	var b strings.Builder
	for i, st := range steps {
		fmt.Fprintf(&b, "%d. %s\n", i+1, st)
	}
	if len(lines) > 0 {
		b.WriteString(ruleYAML(t, t.Service, lines...))
	}
	return strings.TrimRight(b.String(), "\n")
}

func issuerOf(tp *probe.TLSPhase) string {
	if len(tp.Chain) == 0 {
		return "unknown issuer"
	}
	return tp.Chain[len(tp.Chain)-1].Issuer
}

func addCertEvidence(e map[string]string, tp *probe.TLSPhase) {
	if tp.Verify != nil && tp.Verify.Error != "" {
		e["verify_error"] = tp.Verify.Error
	}
	if len(tp.Chain) == 0 {
		return
	}
	c := tp.Chain[0]
	e["cert_subject"], e["cert_issuer"] = c.Subject, c.Issuer
	e["cert_sans"] = strings.Join(append(append([]string{}, c.DNSNames...), c.IPs...), ", ")
	e["cert_valid"] = c.NotBefore.UTC().Format("2006-01-02") + " to " + c.NotAfter.UTC().Format("2006-01-02")
	if c.SelfSigned {
		e["cert_self_signed"] = "true"
	}
	if tp.CAPool != nil {
		e["ca_pool"] = fmt.Sprintf("%s (%d certificates)", tp.CAPool.Path, tp.CAPool.Certs)
		if tp.CAPool.Error != "" {
			e["ca_pool"] = tp.CAPool.Error
		}
	}
}

// incompleteChain: the origin sent one certificate that is not self-signed
// and names where its issuer is published (AIA), as certificates from a
// public CA's intermediate do, so a missing intermediate may be all that
// stops verification. A private CA (mkcert, openssl, a homelab CA) signs
// from its root and publishes nothing: serving a chain cannot help there.
func incompleteChain(tp *probe.TLSPhase) bool {
	leaf := tp.Chain
	return len(leaf) == 1 && !leaf[0].SelfSigned && leaf[0].Issuer != leaf[0].Subject && len(leaf[0].IssuerURLs) > 0
}

// caPoolMountFix says how to give tunneldoctor cloudflared's caPool file: the
// same bind mount when cloudflared's mounts show where it comes from, else
// all of cloudflared's volumes.
func caPoolMountFix(s *agent.Snapshot, path string) string {
	const intro = "Mount the file into tunneldoctor read-only at the same path, so it verifies with the pool cloudflared uses"
	cf := s.Docker.Cloudflared
	if !s.Docker.Available() || cf == nil {
		return intro + " (docker run -v <file on the host>:" + path + ":ro, or compose volumes: under tunneldoctor)."
	}
	for _, m := range cf.Mounts {
		if m.Type == "bind" && m.Source != "" && (path == m.Destination || strings.HasPrefix(path, strings.TrimSuffix(m.Destination, "/")+"/")) {
			return fmt.Sprintf("%s; in compose, under the tunneldoctor service:\n    volumes:\n      - %s:%s:ro", intro, m.Source, m.Destination)
		}
	}
	return fmt.Sprintf("%s; in compose, under the tunneldoctor service (docker run: --volumes-from %s:ro):\n    volumes_from:\n      - container:%s:ro",
		intro, cf.Name, cf.Name)
}
