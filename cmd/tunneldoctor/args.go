package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// newFlagSet returns a flag set that reports errors itself and leaves the
// help text to parseArgs (stdlib flag would print usage on every error).
func newFlagSet(name string, std stdio) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(std.err)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags wherever they appear among args, so
// `ingress rule URL --config F` works like `ingress rule --config F URL`;
// everything after "--" is positional. --help prints help (the text, then
// the flags) on stdout. ok is false when the command must stop with code.
func parseArgs(fs *flag.FlagSet, args []string, std stdio, help string) (positional []string, code int, ok bool) {
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			printHelp(std.out, fs, help)
			return nil, 0, false
		}
		if err != nil {
			fmt.Fprintf(std.err, "Run 'tunneldoctor %s --help' for usage.\n", fs.Name())
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, 0, true
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), 0, true
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func printHelp(w io.Writer, fs *flag.FlagSet, help string) {
	fmt.Fprintln(w, strings.TrimRight(help, "\n"))
	var n int
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// usageError reports a command line problem and returns the usage exit code.
func usageError(std stdio, cmd, format string, a ...any) int {
	fmt.Fprintf(std.err, "tunneldoctor %s: %s\nRun 'tunneldoctor %s --help' for usage.\n", cmd, fmt.Sprintf(format, a...), cmd)
	return exitUsage
}

// oneOf checks a flag value against its allowed values.
func oneOf(flagName, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("--%s %q: want %s", flagName, v, strings.Join(allowed, " or "))
}
