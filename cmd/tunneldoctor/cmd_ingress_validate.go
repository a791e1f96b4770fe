package main

import (
	"bufio"
	"context"
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

const ingressValidateHelp = `Usage: tunneldoctor ingress validate --config FILE [--output text|json]

Reads a cloudflared config file and lists every problem in it at once, each
with its line, the rule it is about and the fix. Errors are what cloudflared
itself refuses; warnings are accepted by cloudflared but break requests or
were probably not meant (a misspelt key is silently ignored by cloudflared).

Exit codes: 0 cloudflared would accept the file (warnings allowed), 1 it would
not, 3 tunneldoctor cannot use its input (a bad command line, a file that is
missing, unreadable or too large).

Examples:
  tunneldoctor ingress validate --config /etc/cloudflared/config.yml
  tunneldoctor ingress validate --config config.yml --output json | jq '.problems[]'`

func runIngressValidate(ctx context.Context, std stdio, args []string) int {
	const name = "ingress validate"
	fs, f := bindIngressCommandFlags(name, std)
	pos, code, ok := parseArgs(fs, args, std, ingressValidateHelp)
	if !ok {
		return code
	}
	// The file may also be given as the one argument.
	if *f.config == "" && len(pos) == 1 {
		*f.config, pos = pos[0], nil
	}
	log, code, ok := checkIngressFlags(std, name, f, pos, 0)
	if !ok {
		return code
	}
	_, problems, err := loadConfig(log, *f.config)
	if err != nil { // not a verdict on the file: tunneldoctor could not read it
		fmt.Fprintf(std.err, "tunneldoctor %s: %v\n", name, err)
		return exitUsage
	}
	valid := tunnelcfg.Valid(problems)
	labeled := labelProblems(problems)
	if *f.output == "json" {
		if err := writeJSON(std.out, validateJSON{Valid: valid, Problems: problemsJSON(labeled)}); err != nil {
			fmt.Fprintf(std.err, "tunneldoctor %s: %v\n", name, err)
			return 1
		}
	} else {
		out := bufio.NewWriter(std.out) // one write per problem line would be a system call each
		fmt.Fprintf(out, "Validating rules from %s\n", *f.config)
		writeProblems(out, labeled)
		errs, warns, notes := countProblems(labeled)
		if valid {
			fmt.Fprintf(out, "OK%s\n", countsSuffix(warns, notes))
		} else {
			fmt.Fprintf(out, "Validation failed: %d %s%s\n", errs, plural(errs, "error", "errors"), countsSuffix(warns, notes))
		}
		if err := out.Flush(); err != nil {
			fmt.Fprintf(std.err, "tunneldoctor %s: writing the report: %v\n", name, err)
			return 1
		}
	}
	if !valid {
		return 1
	}
	return 0
}
