package redact

import (
	"bytes"
	"io"
	"strings"
)

// JSON redacts a JSON document (or a JSON log line) without breaking it:
// only string literals change. A string under a secret-named key
// ("token", "password", "authorization"...) is replaced whole; every other
// string is redacted as text. Raw DEL, C1 controls and bidi overrides,
// which JSON allows unescaped, are written as \u escapes so the line is
// safe to view on a terminal. Text that is not JSON is redacted as text.
func (r *Redactor) JSON(b []byte) []byte {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return r.Bytes(b)
	}
	var out bytes.Buffer
	out.Grow(len(b))
	key := ""
	for i := 0; i < len(b); {
		c := b[i]
		if c != '"' {
			out.WriteByte(c)
			i++
			continue
		}
		end := stringEnd(b, i)
		content := string(b[i+1 : end])
		isKey := nextNonSpace(b, end+1) == ':'
		switch {
		case isKey:
			key = content
			out.WriteString(`"` + escapeUnsafe(content) + `"`)
		case secretKey(key) && content != "" && !isMarker(content):
			out.WriteString(`"` + Marker + `"`)
		default:
			out.WriteString(`"` + escapeUnsafe(r.String(content)) + `"`)
		}
		if !isKey {
			key = ""
		}
		i = end + 1
		if end == len(b) { // unterminated: nothing more to copy
			break
		}
	}
	return out.Bytes()
}

// stringEnd returns the index of the quote closing the literal opened at
// b[start], or len(b) if it is not closed.
func stringEnd(b []byte, start int) int {
	for j := start + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return len(b)
}

func nextNonSpace(b []byte, i int) byte {
	for ; i < len(b); i++ {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
		default:
			return b[i]
		}
	}
	return 0
}

// secretKey tells whether a JSON key names a secret value (a *_file or
// *_path key names where it is).
func secretKey(k string) bool {
	lk := strings.ToLower(k)
	for _, suffix := range []string{"_file", "-file", "file", "_path", "_source", "_bytes", "_len"} {
		if strings.HasSuffix(lk, suffix) {
			return false
		}
	}
	return SecretName(k)
}

// escapeUnsafe writes raw C0, DEL, C1 and bidi characters inside a JSON
// string as \u escapes (the text means the same, and prints harmlessly).
func escapeUnsafe(s string) string {
	if !strings.ContainsFunc(s, unsafeInJSON) {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if unsafeInJSON(c) {
			b.WriteString(`\u`)
			const hex = "0123456789abcdef"
			b.WriteByte(hex[c>>12&0xf])
			b.WriteByte(hex[c>>8&0xf])
			b.WriteByte(hex[c>>4&0xf])
			b.WriteByte(hex[c&0xf])
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func unsafeInJSON(c rune) bool { return c < 0x20 || unsafeRune(c) }

// JSONWriter wraps w so that every write (one zerolog JSON line) goes
// through JSON.
func (r *Redactor) JSONWriter(w io.Writer) io.Writer { return jsonWriter{r: r, w: w} }

type jsonWriter struct {
	r *Redactor
	w io.Writer
}

func (jw jsonWriter) Write(p []byte) (int, error) {
	if _, err := jw.w.Write(jw.r.JSON(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
