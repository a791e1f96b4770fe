package redact

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Terminal makes text safe to print on a terminal: every control
// character but newline and tab (ESC, BEL, CR, backspace, the rest of C0,
// DEL and C1), the bidi overrides and isolates, and bytes that are not
// UTF-8 are shown as visible escapes ("\x1b", "\u202e"), so text from
// containers, logs and origins cannot move the cursor, set a window title,
// write the clipboard (OSC 52), forge a link (OSC 8) or reorder a line.
func Terminal(s string) string { return terminal(s, false) }

// TerminalSGR is Terminal, except that colour sequences (CSI ... m, which
// only change colours) are kept: for output the caller colours itself.
func TerminalSGR(s string) string { return terminal(s, true) }

func terminal(s string, keepSGR bool) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case c == 0x1b && keepSGR && sgrLen(s[i:]) > 0:
			n := sgrLen(s[i:])
			b.WriteString(s[i : i+n])
			size = n
		case c == '\n' || c == '\t':
			b.WriteRune(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		case unsafeRune(c):
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if (c == utf8.RuneError && size <= 1) || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || unsafeRune(c) {
			return true
		}
		i += size
	}
	return false
}

// unsafeRune: DEL, C1 controls, and Unicode's bidi controls (embeddings,
// overrides, isolates, marks) and other invisible format characters that
// change how a line reads.
func unsafeRune(c rune) bool {
	switch {
	case c == 0x7f, c >= 0x80 && c <= 0x9f:
		return true
	case c >= 0x202a && c <= 0x202e, c >= 0x2066 && c <= 0x2069, c == 0x200e, c == 0x200f, c == 0x061c:
		return true
	case c >= 0x200b && c <= 0x200d, c == 0x2028, c == 0x2029, c == 0xfeff:
		return true
	}
	return false
}

// sgrLen is the length of the colour sequence ESC [ digits/semicolons m at
// the start of s, 0 if s does not start with one.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for j := 2; j < len(s) && j < 32; j++ {
		switch c := s[j]; {
		case c >= '0' && c <= '9', c == ';':
		case c == 'm':
			return j + 1
		default:
			return 0
		}
	}
	return 0
}

// TerminalWriter wraps w so that every write goes through Terminal (or
// TerminalSGR when keepSGR). Each write must hold whole sequences, as a
// log line or a whole rendered report does.
func TerminalWriter(w io.Writer, keepSGR bool) io.Writer { return termWriter{w: w, sgr: keepSGR} }

type termWriter struct {
	w   io.Writer
	sgr bool
}

func (tw termWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(tw.w, terminal(string(p), tw.sgr)); err != nil {
		return 0, err
	}
	return len(p), nil
}
