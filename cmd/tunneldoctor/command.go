package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// command is one subcommand. run gets the arguments after the command's name
// and returns the process exit code.
type command struct {
	name    string
	summary string // one line for the command list
	hidden  bool   // left out of the command list (still runs)
	run     func(ctx context.Context, std stdio, args []string) int
}

// stdio is where a command writes; tests pass buffers.
type stdio struct {
	out, err       io.Writer
	outTTY, errTTY bool // colour and console logs only on terminals
}

// exitUsage is the exit code of a command line tunneldoctor cannot act on:
// the same as "could not run" for check, so scripts see one failure code.
const exitUsage = agent.ExitCantRun

// dispatch runs the command named by args[0] among cmds. prog is the
// command path so far ("tunneldoctor", "tunneldoctor ingress").
func dispatch(ctx context.Context, std stdio, prog string, cmds []command, args []string) int {
	if len(args) == 0 {
		listCommands(std.err, prog, cmds)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		listCommands(std.out, prog, cmds)
		return 0
	case "-version", "--version":
		// The conventional spelling, where a "version" command exists.
		for _, c := range cmds {
			if c.name == "version" {
				return c.run(ctx, std, args[1:])
			}
		}
	case "help":
		if len(args) == 1 {
			listCommands(std.out, prog, cmds)
			return 0
		}
		// "help X" is "X --help".
		return dispatch(ctx, std, prog, cmds, []string{args[1], "--help"})
	}
	for _, c := range cmds {
		if c.name == name {
			return c.run(ctx, std, args[1:])
		}
	}
	names := make([]string, 0, len(cmds))
	for _, c := range cmds {
		names = append(names, c.name)
	}
	fmt.Fprintf(std.err, "%s: unknown command %q%s\nRun '%s --help' for the list of commands.\n",
		prog, name, didYouMean(name, names), prog)
	return exitUsage
}

func listCommands(w io.Writer, prog string, cmds []command) {
	fmt.Fprintf(w, "Usage: %s COMMAND [flags] [args]\n\n", prog)
	if prog == "tunneldoctor" {
		fmt.Fprint(w, "Diagnoses Cloudflare Tunnel (cloudflared) on Docker: finds the hop that breaks a\n"+
			"hostname (502/504/524/530) and prints the exact fix.\n\n")
	}
	fmt.Fprintln(w, "Commands:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range cmds {
		if !c.hidden {
			fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRun '%s COMMAND --help' for a command's flags and examples.\n", prog)
}

// didYouMean suggests the candidates closest to s, as a phrase to append to
// an error message ("" when none is close).
func didYouMean(s string, candidates []string) string {
	best := suggest(s, candidates)
	if len(best) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(best, " or ") + "?"
}

// suggest returns the candidates within a small edit distance of s
// (case-insensitive), closest first, at most three.
func suggest(s string, candidates []string) []string {
	s = strings.ToLower(s)
	limit := 1 + len(s)/3
	var out []string
	for d := 0; d <= limit && len(out) < 3; d++ {
		for _, c := range candidates {
			if len(out) < 3 && editDistance(s, strings.ToLower(c)) == d {
				out = append(out, c)
			}
		}
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
