package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// brokenHost is one line of the verdict: a hostname whose requests fail,
// with the finding that best says why.
type brokenHost struct {
	title  string        // the hostname, or "(catch-all)"
	cause  agent.Finding // the worst breaking finding about the host itself, else a tunnel-wide one
	local  bool          // cause names the host's rule or hostname (not tunnel-wide)
	others int           // further breaking findings on the host's paths
}

// verdict judges every path with agent.Attribute (the same judgement as
// the status page, the rule_up metric and /readyz) and returns the broken
// hostnames in path order, plus the tunnel-wide breaking findings. total
// counts the hostnames judged: a catch-all rule is not one, though a broken
// catch-all is listed among hosts as "(catch-all)".
func verdict(snap *agent.Snapshot, findings []agent.Finding) (hosts []brokenHost, tunnelWide []agent.Finding, total int) {
	byTitle := map[string]int{}
	seenWide := map[string]bool{}
	counted := map[string]bool{}
	for _, p := range agent.Attribute(snap, findings) {
		title := pathTitle(snap, p)
		if _, ok := byTitle[title]; !ok {
			if title != groupCatchAll {
				total++
			}
			byTitle[title] = -1
		}
		breaking := p.Breaking()
		if len(breaking) == 0 {
			continue
		}
		var local, wide []agent.Finding
		for _, f := range breaking {
			if f.Rule >= 0 || f.Hostname != "" {
				local = append(local, f)
			} else {
				wide = append(wide, f)
				if !seenWide[f.Key()] {
					seenWide[f.Key()] = true
					tunnelWide = append(tunnelWide, f)
				}
			}
		}
		i := byTitle[title]
		if i < 0 {
			i = len(hosts)
			byTitle[title] = i
			hosts = append(hosts, brokenHost{title: title})
		}
		h := &hosts[i]
		for _, f := range local {
			switch {
			case counted[title+"|"+f.Key()]:
				continue
			case !h.local:
				if h.cause.Code != "" {
					h.others++ // a tunnel-wide cause counted before
				}
				h.cause, h.local = f, true
			default:
				h.others++
			}
			counted[title+"|"+f.Key()] = true
		}
		if h.cause.Code == "" && len(wide) > 0 {
			h.cause = wide[0]
		}
	}
	return hosts, tunnelWide, total
}

// pathTitle names a path in the verdict: its hostname, "(catch-all)" for a
// configured rule without one, else "rule #N" (a rule only findings know).
func pathTitle(snap *agent.Snapshot, p agent.PathVerdict) string {
	if p.Hostname != "" && p.Hostname != "*" {
		return p.Hostname
	}
	if p.Rule >= 0 && (snap == nil || snap.Ingress.Config == nil || p.Rule >= len(snap.Ingress.Config.Rules)) {
		return "rule #" + strconv.Itoa(p.Rule)
	}
	return groupCatchAll
}

// verdictSection leads the report: the answer first. One line saying how
// many hostnames are broken, then each broken hostname with its hop, cause
// and fix, before any detail.
func (t *textWriter) verdictSection(snap *agent.Snapshot, findings []agent.Finding) {
	hosts, wide, total := verdict(snap, findings)
	s := agent.Summarize(findings)
	var blind []agent.Finding // errors about tunneldoctor's own view
	for _, f := range findings {
		if f.Severity == agent.Error && agent.AboutTunneldoctor(f) {
			blind = append(blind, f)
		}
	}
	var head string
	switch {
	case len(hosts) > 0:
		head = t.style(styleRed, "BROKEN: "+brokenCount(hosts, total))
	case len(blind) > 0:
		head = t.style(styleAmber, "UNKNOWN: tunneldoctor could not examine the tunnel fully")
	case s.Error > 0:
		head = t.style(styleRed, fmt.Sprintf("BROKEN: %d %s", s.Error, plural(s.Error, "error", "errors")))
	case s.Warn > 0:
		head = t.style(styleAmber, fmt.Sprintf("WORKS, with %d %s", s.Warn, plural(s.Warn, "warning", "warnings")))
	default:
		head = t.style(styleGreen, "OK: nothing found broken")
	}
	if s.Skipped > 0 {
		head += fmt.Sprintf(" (%d %s skipped)", s.Skipped, plural(s.Skipped, "check", "checks"))
	}
	t.line(t.style(styleBold, "Verdict:") + " " + head)
	for _, f := range wide {
		t.causeLines("the tunnel", f)
	}
	for _, f := range blind {
		t.causeLines("tunneldoctor", f)
	}
	for _, h := range hosts {
		if !h.local {
			t.lines(wrap(fmt.Sprintf("down with the tunnel (%s, above)", h.cause.Code), "  "+h.title+": ", "      ", t.opts.Width))
			continue
		}
		t.causeLines(h.title, h.cause)
		if h.others > 0 {
			t.line(fmt.Sprintf("      (+%d more %s below)", h.others, plural(h.others, "error", "errors")))
		}
	}
	if len(hosts) == 0 && s.Error > len(blind) {
		// Errors about nothing the paths judge (no rules, no hostnames).
		for _, f := range findings {
			if agent.Breaks(f) {
				t.causeLines(f.Hop, f)
			}
		}
	}
}

// brokenCount words the verdict's count: "4 of 5 hostnames", with
// " + the catch-all" when the catch-all rule is broken too (it is not a
// hostname, so it is not counted among them).
func brokenCount(hosts []brokenHost, total int) string {
	n, catchAll := 0, false
	for _, h := range hosts {
		if h.title == groupCatchAll {
			catchAll = true
		} else {
			n++
		}
	}
	switch {
	case !catchAll:
		return fmt.Sprintf("%d of %d %s", n, total, plural(total, "hostname", "hostnames"))
	case total == 0:
		return "the catch-all"
	case n == 0:
		return fmt.Sprintf("the catch-all (0 of %d %s)", total, plural(total, "hostname", "hostnames"))
	}
	return fmt.Sprintf("%d of %d %s + the catch-all", n, total, plural(total, "hostname", "hostnames"))
}

// causeLines is one broken thing: "what: hop CODE message", then its fix's
// first line.
func (t *textWriter) causeLines(what string, f agent.Finding) {
	t.lines(wrap(f.Hop+" "+f.Code+": "+f.Message, "  "+what+": ", "      ", t.opts.Width))
	if fix := firstLine(f.Fix); fix != "" {
		if strings.Contains(strings.TrimSpace(f.Fix), "\n") {
			fix += " (full fix below)"
		}
		t.lines(wrap(fix, "      fix: ", "           ", t.opts.Width))
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(strings.TrimSuffix(line, ":"))
}
