package main

import (
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// logger writes lines exactly as cloudflared's zerolog setup does: console
// "<RFC3339> INF <message> error=... k=v" (error first, the rest sorted,
// values quoted when they hold spaces; an empty message leaves two spaces),
// or one JSON object per line with sorted keys. --logfile is always JSON.
type logger struct {
	mu   sync.Mutex
	json bool
	out  io.Writer
	file io.Writer // nil unless --logfile
	now  func() time.Time
}

type kv struct {
	k string
	v any
}

var levelAbbrev = map[string]string{"debug": "DBG", "info": "INF", "warn": "WRN", "error": "ERR", "fatal": "FTL"}

func (l *logger) info(msg string, fields ...kv)  { l.log("info", msg, fields...) }
func (l *logger) warn(msg string, fields ...kv)  { l.log("warn", msg, fields...) }
func (l *logger) error(msg string, fields ...kv) { l.log("error", msg, fields...) }

func (l *logger) log(level, msg string, fields ...kv) {
	t := l.now().UTC().Format(time.RFC3339)
	jsonLine := formatJSON(t, level, msg, fields)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.json {
		_, _ = io.WriteString(l.out, jsonLine)
	} else {
		_, _ = io.WriteString(l.out, formatConsole(t, level, msg, fields))
	}
	if l.file != nil {
		_, _ = io.WriteString(l.file, jsonLine)
	}
}

func formatJSON(t, level, msg string, fields []kv) string {
	m := map[string]any{"level": level, "time": t}
	if msg != "" {
		m["message"] = msg
	}
	for _, f := range fields {
		m[f.k] = f.v
	}
	b, _ := json.Marshal(m) // map keys come out sorted, as cloudflared's re-encoding does
	return string(b) + "\n"
}

func formatConsole(t, level, msg string, fields []kv) string {
	var b strings.Builder
	b.WriteString(t)
	b.WriteByte(' ')
	b.WriteString(levelAbbrev[level])
	b.WriteByte(' ')
	b.WriteString(msg)
	sorted := append([]kv(nil), fields...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if (sorted[i].k == "error") != (sorted[j].k == "error") {
			return sorted[i].k == "error"
		}
		return sorted[i].k < sorted[j].k
	})
	if len(sorted) > 0 {
		b.WriteByte(' ')
	}
	for i, f := range sorted {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f.k)
		b.WriteByte('=')
		switch v := f.v.(type) {
		case string:
			if needsQuote(v) {
				b.WriteString(strconv.Quote(v))
			} else {
				b.WriteString(v)
			}
		default:
			j, _ := json.Marshal(v)
			b.Write(j)
		}
	}
	b.WriteByte('\n')
	return b.String()
}

// needsQuote is zerolog's console rule for quoting a value.
func needsQuote(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e || s[i] == ' ' || s[i] == '\\' || s[i] == '"' {
			return true
		}
	}
	return false
}
