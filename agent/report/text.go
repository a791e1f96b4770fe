package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// TextOptions tunes the human report.
type TextOptions struct {
	// Color adds ANSI colours. The caller decides (a terminal, no NO_COLOR):
	// the report never guesses, so piped output stays plain.
	Color bool
	// Width is the line length prose is wrapped to; 0 means DefaultWidth.
	Width int
	// ExitCode is shown in the summary line.
	ExitCode int
	// Verbose adds each finding's evidence (the JSON report always has it).
	Verbose bool
}

// Text writes the human report: the verdict first (how many hostnames are
// broken, and for each its hop, cause and fix), a header naming the tunnel,
// then the findings
// grouped by hostname (tunnel-wide ones first under "general", rules without
// a hostname last under "(catch-all)"), the skipped checks with their reasons,
// and a one-line summary.
func Text(w io.Writer, snap *agent.Snapshot, findings []agent.Finding, opts TextOptions) error {
	if opts.Width <= 0 {
		opts.Width = DefaultWidth
	}
	t := &textWriter{w: bufio.NewWriter(w), opts: opts}
	findings = redactAll(shapeRedactor(), findings)
	s := arrange(snap, findings)

	t.verdictSection(snap, findings)
	t.line("")
	t.header(snap)
	for _, g := range s.groups {
		t.group(g)
	}
	if len(s.quiet) > 0 {
		t.line("")
		t.lines(wrap(quietList(s.quiet), t.style(styleGreen, "No findings:")+" ", "  ", opts.Width+t.styleLen(styleGreen)))
	}
	t.skipped(s.skipped)
	t.summary(findings, s.passed)
	if err := t.w.Flush(); err != nil {
		return fmt.Errorf("writing text report: %w", err)
	}
	return nil
}

// maxQuiet is how many finding-free hostnames are named; a 2,000-rule
// config would otherwise print a page of names that need no attention.
const maxQuiet = 12

func quietList(hosts []string) string {
	if len(hosts) <= maxQuiet {
		return strings.Join(hosts, ", ")
	}
	return fmt.Sprintf("%s and %d more hostnames", strings.Join(hosts[:maxQuiet], ", "), len(hosts)-maxQuiet)
}

type textWriter struct {
	w    *bufio.Writer
	opts TextOptions
}

func (t *textWriter) line(s string) { t.w.WriteString(s + "\n") }

func (t *textWriter) lines(ls []string) {
	for _, l := range ls {
		t.line(l)
	}
}

func (t *textWriter) style(style, s string) string {
	if !t.opts.Color {
		return s
	}
	return style + s + styleReset
}

// styleLen is how many invisible bytes style adds, so wrapping can ignore them.
func (t *textWriter) styleLen(style string) int {
	if !t.opts.Color {
		return 0
	}
	return len(style) + len(styleReset)
}

func (t *textWriter) header(snap *agent.Snapshot) {
	t.line(t.style(styleBold, "tunneldoctor report"))
	if snap == nil {
		return
	}
	ti := snap.Tunnel
	if !snap.Taken.IsZero() {
		t.line("  taken:       " + snap.Taken.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	t.line("  tunnel:      " + orUnknown(ti.ID) + "  account: " + orUnknown(ti.Account))
	conn := "connection unknown"
	if ti.Connected != nil {
		conn = map[bool]string{true: "connected", false: "NOT connected"}[*ti.Connected]
	}
	if p := snap.Cloudflared.Process; p != nil && agent.Stopped(p.State) {
		conn = "NOT connected: container " + p.State
		if p.State == "exited" || p.State == "dead" {
			conn += ", exit code " + strconv.Itoa(p.ExitCode)
		}
	}
	t.line("  cloudflared: " + cloudflaredText(snap) + " (" + conn + ")")
	cfg := orUnknown(ti.ConfigSource)
	if ti.ConfigSource != "" {
		cfg += ", version " + strconv.Itoa(ti.ConfigVersion)
	}
	t.line("  config:      " + cfg)
	for _, n := range snap.Ingress.Notes {
		t.lines(wrap(n, "               ", "               ", t.opts.Width))
	}
	var have, missing []string
	for _, src := range []string{agent.SourceIngress, agent.SourceDocker, agent.SourceCloudflared, agent.SourceProbes, agent.SourceEdge} {
		if snap.Unavailable(src) == "" {
			have = append(have, src)
		} else {
			missing = append(missing, src)
		}
	}
	facts := t.style(styleGreen, "read:") + " " + orValue(strings.Join(have, " "), "none")
	if len(missing) > 0 {
		facts += "; " + t.style(styleDim, "missing:") + " " + strings.Join(missing, " ")
	}
	t.line("  facts:       " + facts)
}

func (t *textWriter) group(g group) {
	t.line("")
	t.line(t.style(styleBold, g.title))
	for _, r := range g.rules {
		t.line("  " + ruleLine(r))
	}
	for _, f := range g.findings {
		t.finding(f, g)
	}
}

// ruleLine is one rule as the header of its hostname's group.
func ruleLine(r tunnelcfg.Rule) string {
	s := "rule #" + strconv.Itoa(r.Index)
	if r.Path != "" {
		s += " path " + r.Path
	}
	return s + " -> " + orValue(r.Service, "(no service)")
}

func (t *textWriter) finding(f agent.Finding, g group) {
	t.line("")
	sev := strings.ToUpper(f.Severity.String())
	tag := t.style(severityStyle(f.Severity), fmt.Sprintf("%-5s", sev))
	head := "  " + tag + " " + f.Code + " [" + f.Hop + "]"
	if f.Rule >= 0 && !(len(g.rules) == 1 && g.rules[0].Index == f.Rule) {
		head += " rule #" + strconv.Itoa(f.Rule)
		if f.Service != "" {
			head += " " + f.Service
		}
	}
	t.line(head)
	t.lines(wrap(f.Message, "    ", "    ", t.opts.Width))
	if f.Fix != "" {
		t.lines(block("Fix: ", f.Fix, "    ", t.opts.Width))
	}
	// The subject key only tells findings apart across runs; it repeats
	// what the message says, so the text report leaves it out.
	keys := make([]string, 0, len(f.Evidence))
	for k := range f.Evidence {
		if k != agent.EvidenceSubject {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > 0 && t.opts.Verbose {
		t.line("    Evidence:")
		for _, k := range keys {
			t.lines(block(k+": ", evidenceText(f.Evidence[k], t.opts.Width), "      ", t.opts.Width))
		}
	}
}

// evidenceText makes an evidence value printable: "(empty)" rather than
// nothing, and a long comma-separated list (CF010,CF011,...) gets spaces so
// it can wrap instead of running off the terminal.
func evidenceText(v string, width int) string {
	if strings.TrimSpace(v) == "" {
		return "(empty)"
	}
	if len(v) > width/2 && !strings.ContainsAny(v, " \n") && strings.Contains(v, ",") {
		return strings.ReplaceAll(v, ",", ", ")
	}
	return v
}

func severityStyle(s agent.Severity) string {
	switch s {
	case agent.Error:
		return styleRed
	case agent.Warn:
		return styleAmber
	case agent.Info:
		return styleCyan
	case agent.Pass:
		return styleGreen
	}
	return styleDim
}

// skipped lists checks that could not run, grouped by the missing fact
// source, so ten checks skipped for one reason take three lines, not ten.
func (t *textWriter) skipped(fs []agent.Finding) {
	if len(fs) == 0 {
		return
	}
	type reason struct {
		why   string
		codes []string
	}
	byReason := map[string]*reason{}
	var order []string
	for _, f := range fs {
		key, why := skipReason(f)
		r, ok := byReason[key]
		if !ok {
			r = &reason{why: why}
			byReason[key] = r
			order = append(order, key)
		}
		if !contains(r.codes, f.Code) {
			r.codes = append(r.codes, f.Code)
		}
	}
	t.line("")
	t.line(t.style(styleBold, fmt.Sprintf("Skipped %d %s:", len(fs), plural(len(fs), "check", "checks"))))
	for _, key := range order {
		r := byReason[key]
		if len(r.codes) == 1 && r.codes[0] == key {
			// Skipped by the check itself: its message says why.
			t.lines(wrap(r.why, "  "+t.style(styleDim, key)+" ", "    ", t.opts.Width+t.styleLen(styleDim)))
			continue
		}
		t.lines(wrap(r.why, "  "+t.style(styleDim, key+" missing:")+" ", "      ", t.opts.Width+t.styleLen(styleDim)))
		t.lines(wrap(strings.Join(r.codes, " "), "    skipped: ", "             ", t.opts.Width))
	}
}

// skipReason names why a check was skipped: the first missing fact source
// the runner recorded, else the check's own message.
func skipReason(f agent.Finding) (key, why string) {
	var keys []string
	for k := range f.Evidence {
		if strings.HasPrefix(k, agent.EvidenceMissingPrefix) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return f.Code, f.Message
	}
	sort.Strings(keys)
	return strings.TrimPrefix(keys[0], agent.EvidenceMissingPrefix), f.Evidence[keys[0]]
}

func (t *textWriter) summary(fs []agent.Finding, passed int) {
	s := agent.Summarize(fs)
	parts := []string{
		t.count(s.Error, "error", "errors", styleRed),
		t.count(s.Warn, "warning", "warnings", styleAmber),
		t.count(s.Info, "info", "info", styleCyan),
		fmt.Sprintf("%d skipped", s.Skipped),
	}
	if passed > 0 {
		parts = append(parts, fmt.Sprintf("%d passed", passed))
	}
	t.line("")
	t.line("Summary: " + strings.Join(parts, ", ") + ". Exit code " + strconv.Itoa(t.opts.ExitCode) + ".")
	if s.Error+s.Warn+s.Info > 0 {
		t.line("Details of a finding: tunneldoctor explain CODE")
		if !t.opts.Verbose {
			t.line("Evidence of each finding: --verbose (or --output json)")
		}
	}
}

func (t *textWriter) count(n int, one, many, style string) string {
	s := fmt.Sprintf("%d %s", n, plural(n, one, many))
	if n == 0 {
		return s
	}
	return t.style(style, s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// cloudflaredText names the cloudflared the run looked at: its container,
// else the metrics server that answered (a cloudflared on the host), else
// "not found".
func cloudflaredText(snap *agent.Snapshot) string {
	if name := snap.Tunnel.Cloudflared; name != "" {
		return name
	}
	if addr := snap.Cloudflared.MetricsAddr; addr != "" {
		return "not in a container; its metrics server answered at " + addr
	}
	return "not found"
}

func orUnknown(s string) string { return orValue(s, "unknown") }

func orValue(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
