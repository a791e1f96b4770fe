package report

import (
	"bufio"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// SupportOptions names the binary in the support bundle.
type SupportOptions struct {
	Version  string    // tunneldoctor's version
	Now      time.Time // when the bundle was written (zero: time.Now)
	ExitCode int
}

// Support writes one redacted report to paste into a Cloudflare or hosting
// ticket: when, which versions, the failing URLs with what a visitor got
// (status, cf-ray, /cdn-cgi/trace when the outside-in probe reached it),
// each broken hostname's hop chain and the findings. It carries no
// secrets: findings go through the same redaction as every report, and no
// environment value, token or command line is written.
func Support(w io.Writer, snap *agent.Snapshot, findings []agent.Finding, o SupportOptions) error {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if snap == nil {
		snap = &agent.Snapshot{}
	}
	red := shapeRedactor()
	findings = redactAll(red, findings)
	b := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(b, format+"\n", a...) }
	p("# tunneldoctor support bundle")
	p("")
	p("written:      %s", o.Now.UTC().Format(time.RFC3339))
	if !snap.Taken.IsZero() {
		p("facts taken:  %s", snap.Taken.UTC().Format(time.RFC3339))
	}
	p("tunneldoctor: %s (%s, %s/%s)", orValue(o.Version, "(devel)"), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	cfv := "unknown"
	if m := snap.Cloudflared.Metrics; m != nil && m.Version != "" {
		cfv = m.Version
	}
	p("cloudflared:  %s, version %s", cloudflaredText(snap), cfv)
	if e := snap.Docker.Engine; e != nil {
		p("docker:       engine %s (API %s), %s", e.Version, orUnknown(snap.Docker.APIVersion), e.OperatingSystem)
	} else if why := snap.Docker.Missing; why != "" {
		p("docker:       not read: %s", red.String(why))
	}
	ti := snap.Tunnel
	conn := "unknown"
	if ti.Connected != nil {
		conn = map[bool]string{true: "connected", false: "NOT connected"}[*ti.Connected]
	}
	cfgVersion := "unknown"
	if ti.ConfigSource != "" {
		cfgVersion = fmt.Sprint(ti.ConfigVersion)
	}
	p("tunnel:       %s (account %s), %s; config %s, version %s", orUnknown(ti.ID), orUnknown(ti.Account), conn, orUnknown(ti.ConfigSource), cfgVersion)
	s := agent.Summarize(findings)
	p("verdict:      %d errors, %d warnings, %d skipped; exit code %d", s.Error, s.Warn, s.Skipped, o.ExitCode)

	public := map[string]cfapi.PublicResult{}
	for _, r := range snap.Edge.Public {
		public[r.Hostname] = r
	}
	hosts, wide, _ := verdict(snap, findings)
	for _, f := range wide {
		p("")
		p("## the tunnel: %s %s", f.Code, red.String(f.Message))
	}
	for _, h := range hosts {
		p("")
		url := h.title
		if !strings.HasPrefix(url, "(") && !strings.HasPrefix(url, "rule #") {
			url = "https://" + h.title + "/"
		}
		p("## failing: %s", url)
		if r, ok := public[h.title]; ok {
			pg, tr := r.Page, r.Trace
			p("visitor:      status %d, cf-ray %s, server %s, error code %d, verdict %s", pg.Status, orValue(pg.CFRay, "none"), orValue(pg.Server, "none"), r.Code, orValue(r.Verdict, "none"))
			if tr.Error == "" && tr.Status != 0 {
				p("cdn-cgi/trace: status %d, cloudflare %v, colo %s, loc %s, http %s, tls %s", tr.Status, tr.Cloudflare, orUnknown(tr.Colo), orUnknown(tr.Loc), orUnknown(tr.HTTP), orUnknown(tr.TLS))
			} else {
				p("cdn-cgi/trace: not reached: %s", red.String(orValue(tr.Error, "no answer")))
			}
		} else {
			p("visitor:      not probed from outside (%s)", orValue(red.String(snap.Edge.PublicSkipped), "no public probe result"))
		}
		for _, v := range agent.Attribute(snap, findings) {
			if pathTitle(snap, v) != h.title {
				continue
			}
			p("rule #%d:      %s", v.Rule, red.String(orValue(v.Service, "(no service)")))
			p("hops:         %s", hopChain(v))
			for _, f := range v.Findings {
				if f.Severity >= agent.Warn && (f.Rule >= 0 || f.Hostname != "") { // tunnel-wide ones are above
					p("  %s %s [%s]: %s", strings.ToUpper(f.Severity.String()), f.Code, f.Hop, f.Message)
					for _, l := range fixLines(f.Fix) {
						p("%s", l)
					}
				}
			}
		}
	}
	p("")
	p("(redacted by tunneldoctor: no tokens, secrets or environment values are included)")
	if err := b.Flush(); err != nil {
		return fmt.Errorf("writing support bundle: %w", err)
	}
	return nil
}

// fixLines is a finding's whole fix as the bundle prints it: the first line
// after "    fix: ", every further line (a snippet, a second command) indented
// under it, its own indentation kept. A ticket needs the snippet too.
func fixLines(fix string) []string {
	fix = strings.Trim(fix, "\n")
	if strings.TrimSpace(fix) == "" {
		return nil
	}
	const label, indent = "    fix: ", "         "
	var out []string
	for i, l := range strings.Split(fix, "\n") {
		l = strings.TrimRight(l, " \t\r")
		switch {
		case i == 0:
			out = append(out, label+l)
		case l == "":
			out = append(out, "")
		default:
			out = append(out, indent+l)
		}
	}
	return out
}

// hopChain is a path's hops in request order with the worst finding of
// each: "edge ok -> tunnel ok -> ingress ok -> network ERROR NET002 -> ...".
func hopChain(v agent.PathVerdict) string {
	var parts []string
	for _, hop := range agent.Hops {
		state, judged := "ok", false
		worst := agent.Skipped
		for _, f := range v.Findings {
			if f.Hop != hop {
				continue
			}
			if f.Severity == agent.Skipped {
				if !judged {
					state = "not checked"
				}
				continue
			}
			if !judged || f.Severity > worst {
				judged, worst = true, f.Severity
				state = "ok"
				if f.Severity >= agent.Warn {
					state = strings.ToUpper(f.Severity.String()) + " " + f.Code
				}
			}
		}
		parts = append(parts, hop+" "+state)
	}
	return strings.Join(parts, " -> ")
}
