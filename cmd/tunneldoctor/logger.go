package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// bindLogFlags registers --log-level on a command.
func bindLogFlags(fs *flag.FlagSet) *string {
	return stringFlag(fs, "log-level", "warn",
		"diagnostics on stderr: debug, info, warn, error or off (env TUNNELDOCTOR_LOG_LEVEL)",
		func(s string) error { _, err := parseLogLevel(s); return err })
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
	lvl, err := parseLogLevel(level)
	if err != nil {
		return zerolog.Nop(), fmt.Errorf("--log-level %q: %w", level, err)
	}
	if tty {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05"}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}

// parseLogLevel is --log-level of the one-shot commands.
func parseLogLevel(level string) (zerolog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "debug":
		return zerolog.DebugLevel, nil
	case "info":
		return zerolog.InfoLevel, nil
	case "warn", "warning":
		return zerolog.WarnLevel, nil
	case "error":
		return zerolog.ErrorLevel, nil
	case "off", "none", "disabled":
		return zerolog.Disabled, nil
	}
	return zerolog.Nop().GetLevel(), errors.New("want debug, info, warn, error or off")
}
