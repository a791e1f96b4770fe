package main

import (
	"context"
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

const ingressRuleHelp = `Usage: tunneldoctor ingress rule --config FILE [--output text|json] URL

Prints the ingress rule cloudflared would send a request for URL to: the
first rule whose hostname and path match, else the last (catch-all) rule.
Rule numbers are 0-based, as in cloudflared's logs (ingressRule=N).

Exit codes: 0 matched, 1 the config is invalid (problems are listed, as
cloudflared does) or no rule matches, 3 tunneldoctor cannot use its input:
a bad command line, a missing or malformed URL, a file it cannot read.

Examples:
  tunneldoctor ingress rule --config config.yml https://app.example.com/api/users
  tunneldoctor ingress rule https://app.example.com --config config.yml --output json`

func runIngressRule(ctx context.Context, std stdio, args []string) int {
	const name = "ingress rule"
	fs, f := bindIngressCommandFlags(name, std)
	pos, code, ok := parseArgs(fs, args, std, ingressRuleHelp)
	if !ok {
		return code
	}
	log, code, ok := checkIngressFlags(std, name, f, pos, 1)
	if !ok {
		return code
	}
	// A URL or file the command cannot use is a bad command line (3), not
	// the verdict "cloudflared would reject the file" (1).
	if _, err := tunnelcfg.ParseMatchURL(pos[0]); err != nil {
		return usageError(std, name, "%v", err)
	}
	cfg, problems, err := loadConfig(log, *f.config)
	if err != nil {
		fmt.Fprintf(std.err, "tunneldoctor %s: %v\n", name, err)
		return exitUsage
	}
	if !tunnelcfg.Valid(problems) {
		// Like cloudflared: an invalid config matches nothing.
		fmt.Fprintf(std.err, "Validation failed for %s:\n", *f.config)
		writeProblems(std.err, labelProblems(fatalOnly(problems)))
		return 1
	}
	i, err := cfg.MatchURL(pos[0])
	if err != nil { // the URL was checked above: a configuration without rules
		fmt.Fprintf(std.err, "tunneldoctor %s: %v\n", name, err)
		return 1
	}
	if i < 0 || i >= len(cfg.Rules) {
		fmt.Fprintf(std.err, "tunneldoctor %s: no rule matches %s\n", name, pos[0])
		return 1
	}
	r := cfg.Rules[i]
	if *f.output == "json" {
		if err := writeJSON(std.out, ruleJSON{Rule: i, Hostname: r.Hostname, Path: r.Path, Service: r.Service, Line: r.Line}); err != nil {
			fmt.Fprintf(std.err, "tunneldoctor %s: %v\n", name, err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(std.out, "Matched rule #%d\n", i)
	if r.Hostname != "" {
		fmt.Fprintf(std.out, "\thostname: %s\n", r.Hostname)
	}
	if r.Path != "" {
		fmt.Fprintf(std.out, "\tpath: %s\n", r.Path)
	}
	fmt.Fprintf(std.out, "\tservice: %s\n", r.Service)
	return 0
}
