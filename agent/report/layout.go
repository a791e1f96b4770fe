package report

import (
	"strings"
	"unicode/utf8"
)

// DefaultWidth fits a classic terminal.
const DefaultWidth = 80

// ANSI styles, used only when the caller says the output is a terminal.
const (
	styleReset = "\x1b[0m"
	styleBold  = "\x1b[1m"
	styleDim   = "\x1b[2m"
	styleRed   = "\x1b[1;31m"
	styleAmber = "\x1b[1;33m"
	styleCyan  = "\x1b[36m"
	styleGreen = "\x1b[32m"
)

// wrap breaks prose into lines of at most width runes, each prefixed with
// indent (the first with first). A word longer than a line is kept whole:
// a URL or a path must stay copyable.
func wrap(text, first, indent string, width int) []string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return []string{strings.TrimRight(first, " ")}
	}
	var lines []string
	line := first + words[0]
	for _, w := range words[1:] {
		if utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width {
			lines = append(lines, line)
			line = indent + w
			continue
		}
		line += " " + w
	}
	return append(lines, line)
}

// block renders text under a label. One-line text is wrapped as prose;
// text with line breaks is a snippet (YAML, compose, a command) and is
// printed verbatim, indented, because re-flowing it would break it.
func block(label, text, indent string, width int) []string {
	text = strings.TrimRight(text, "\n")
	if !strings.Contains(text, "\n") {
		return wrap(text, indent+label, indent+strings.Repeat(" ", utf8.RuneCountInString(label)), width)
	}
	lines := []string{indent + strings.TrimRight(label, " ")}
	for _, l := range strings.Split(text, "\n") {
		lines = append(lines, strings.TrimRight(indent+"    "+l, " "))
	}
	return lines
}
