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
// everything after "--" is positional. Flags not on the command line are
// then taken from their TUNNELDOCTOR_* variables (applyEnv). --help prints help (the text, then
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
			code, ok := envOrFail(fs, std)
			return positional, code, ok
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			code, ok := envOrFail(fs, std)
			return append(positional, rest...), code, ok
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// envOrFail applies the TUNNELDOCTOR_* variables of the flags the command
// line left unset; a bad one stops the command with the usage exit code.
func envOrFail(fs *flag.FlagSet, std stdio) (code int, ok bool) {
	if err := applyEnv(fs, lookupEnv); err != nil {
		fmt.Fprintf(std.err, "tunneldoctor %s: %v\nRun 'tunneldoctor %s --help' for usage.\n", fs.Name(), err, fs.Name())
		return exitUsage, false
	}
	return 0, true
}

func printHelp(w io.Writer, fs *flag.FlagSet, help string) {
	fmt.Fprintln(w, strings.TrimRight(help, "\n"))
	var n int
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlags (each also set by its environment variable, e.g. --"+firstFlag(fs)+" by "+envName(firstFlag(fs))+";\nthe command line wins, and a bad value is an error):")
	fs.VisitAll(func(f *flag.Flag) { // every flag names its variable
		if env := envName(f.Name); !strings.Contains(f.Usage, env) {
			f.Usage += " (env " + env + ")"
		}
	})
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func firstFlag(fs *flag.FlagSet) string {
	var name string
	fs.VisitAll(func(f *flag.Flag) {
		if name == "" {
			name = f.Name
		}
	})
	return name
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
