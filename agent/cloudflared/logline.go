package cloudflared

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// MaxLineBytes bounds one log line; longer lines are cut before parsing.
const MaxLineBytes = 64 * 1024

// Line is one parsed cloudflared log line, whatever its format.
type Line struct {
	Time    time.Time         `json:"time,omitzero"`
	Level   string            `json:"level,omitempty"` // debug, info, warn, error, fatal; "" for plain text
	Message string            `json:"message,omitempty"`
	Error   string            `json:"error,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
}

var levelNames = map[string]string{"DBG": "debug", "INF": "info", "WRN": "warn", "ERR": "error", "FTL": "fatal", "PNC": "panic", "TRC": "trace"}

// ParseLine reads one line in cloudflared's console format
// ("<RFC3339> INF <message> error=... k=v"), its JSON format (--output json,
// --logfile), or as plain text (what urfave/cli prints on exit). A Docker
// timestamp in front (logs read with timestamps) is skipped.
func ParseLine(raw string) Line {
	if len(raw) > MaxLineBytes {
		raw = raw[:MaxLineBytes]
	}
	s := strings.TrimRight(raw, "\r\n")
	s = strings.TrimSpace(s)
	if t, rest, ok := cutTime(s); ok {
		if t2, rest2, ok := cutTime(rest); ok { // Docker's timestamp, then cloudflared's
			t, rest = t2, rest2
		}
		if l, ok := parseConsole(t, rest); ok {
			return l
		}
		s = strings.TrimSpace(rest)
	}
	if strings.HasPrefix(s, "{") {
		if l, ok := parseJSON(s); ok {
			return l
		}
	}
	return Line{Message: s}
}

// cutTime splits a leading RFC 3339 timestamp.
func cutTime(s string) (time.Time, string, bool) {
	sp := strings.IndexByte(s, ' ')
	if sp < 20 || sp > 40 {
		return time.Time{}, s, false
	}
	t, err := time.Parse(time.RFC3339Nano, s[:sp])
	if err != nil {
		return time.Time{}, s, false
	}
	return t, s[sp+1:], true
}

// parseConsole reads "INF <message> k=v ..." after the time.
func parseConsole(t time.Time, rest string) (Line, bool) {
	lvl, after, _ := strings.Cut(rest, " ")
	level, ok := levelNames[lvl]
	if !ok {
		return Line{}, false
	}
	l := Line{Time: t, Level: level}
	msg, fields := splitFields(after)
	l.Message = strings.TrimSpace(msg)
	if len(fields) > 0 {
		if e, ok := fields["error"]; ok {
			l.Error = e
			delete(fields, "error")
		}
		if len(fields) > 0 {
			l.Fields = fields
		}
	}
	return l, true
}

// splitFields finds where zerolog's "k=v" fields begin: the first token
// after which the rest of the line reads entirely as fields.
func splitFields(s string) (string, map[string]string) {
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i-1] != ' ' {
			continue
		}
		if !isKeyStart(s[i]) {
			continue
		}
		if f, ok := parseFieldList(s[i:]); ok {
			return s[:i], f
		}
	}
	return s, nil
}

func isKeyStart(b byte) bool {
	return b == '_' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

func isKeyByte(b byte) bool {
	return isKeyStart(b) || (b >= '0' && b <= '9') || b == '.' || b == '-'
}

// parseFieldList reads `k=v k="quoted v" ...` to the end of s.
func parseFieldList(s string) (map[string]string, bool) {
	out := map[string]string{}
	for len(s) > 0 {
		j := 0
		for j < len(s) && isKeyByte(s[j]) {
			j++
		}
		if j == 0 || j >= len(s) || s[j] != '=' {
			return nil, false
		}
		key := s[:j]
		s = s[j+1:]
		var val string
		if strings.HasPrefix(s, `"`) {
			end := closingQuote(s)
			if end < 0 {
				return nil, false
			}
			u, err := strconv.Unquote(s[:end+1])
			if err != nil {
				return nil, false
			}
			val, s = u, s[end+1:]
		} else {
			sp := strings.IndexByte(s, ' ')
			if sp < 0 {
				sp = len(s)
			}
			val, s = s[:sp], s[sp:]
		}
		out[key] = val
		if len(s) > 0 {
			if s[0] != ' ' {
				return nil, false
			}
			s = strings.TrimLeft(s, " ")
		}
	}
	return out, len(out) > 0
}

// closingQuote finds the index of the quote ending a Go-quoted string.
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

func parseJSON(s string) (Line, bool) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return Line{}, false
	}
	lvl, ok := m["level"].(string)
	if !ok {
		return Line{}, false
	}
	l := Line{Level: strings.ToLower(lvl)}
	if ts, ok := m["time"].(string); ok {
		l.Time, _ = time.Parse(time.RFC3339Nano, ts)
	}
	l.Message, _ = m["message"].(string)
	if e, ok := m["error"]; ok {
		l.Error = scalar(e)
	}
	for k, v := range m {
		switch k {
		case "level", "time", "message", "error":
			continue
		}
		if l.Fields == nil {
			l.Fields = map[string]string{}
		}
		l.Fields[k] = scalar(v)
	}
	return l, true
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}
