package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// bindLogFlags registers --log-level on a command.
func bindLogFlags(fs *flag.FlagSet) *string {
	return fs.String("log-level", "warn",
		"diagnostics on stderr: debug, info, warn, error or off (env TUNNELDOCTOR_LOG_LEVEL)")
}

// safeLogWriter is where a diagnostics logger writes: through r, as JSON
// lines (redacted string by string) or, on a terminal, as zerolog's
// coloured console layout with other control characters made visible.
func safeLogWriter(w io.Writer, tty bool, r *redact.Redactor) io.Writer {
	if tty {
		return r.Writer(redact.TerminalWriter(w, true))
	}
	return r.JSONWriter(w)
}

// newLogger builds the diagnostics logger: JSON lines on stderr, or a
// console layout when stderr is a terminal. Secrets are the callers' job:
// nothing secret is ever passed to it.
func newLogger(w io.Writer, tty bool, level string) (zerolog.Logger, error) {
	var lvl zerolog.Level
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "debug":
		lvl = zerolog.DebugLevel
	case "info":
		lvl = zerolog.InfoLevel
	case "warn", "warning":
		lvl = zerolog.WarnLevel
	case "error":
		lvl = zerolog.ErrorLevel
	case "off", "none", "disabled":
		lvl = zerolog.Disabled
	default:
		return zerolog.Nop(), fmt.Errorf("--log-level %q: want debug, info, warn, error or off", level)
	}
	if tty {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05"}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}
