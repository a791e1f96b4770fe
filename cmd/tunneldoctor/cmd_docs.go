package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/report"
)

func docsCommand() command {
	return command{
		name:    "docs",
		summary: "generate documentation (the finding code table)",
		hidden:  true,
		run: func(ctx context.Context, std stdio, args []string) int {
			return dispatch(ctx, std, "tunneldoctor docs", []command{
				{name: "codes", summary: "print the Markdown table of finding codes, or update it in a file", run: runDocsCodes},
			}, args)
		},
	}
}

const docsCodesHelp = `Usage: tunneldoctor docs codes [--write FILE]

Prints the Markdown table of every finding code, generated from the checks
themselves. With --write, replaces the table between the markers
<!-- codes:start --> and <!-- codes:end --> in FILE instead.

Example:
  go run ./cmd/tunneldoctor docs codes --write README.md`

func runDocsCodes(ctx context.Context, std stdio, args []string) int {
	fs := newFlagSet("docs codes", std)
	write := fs.String("write", "", "update the table in this Markdown file in place")
	pos, code, ok := parseArgs(fs, args, std, docsCodesHelp)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(std, "docs codes", "unexpected argument %q", pos[0])
	}
	var table bytes.Buffer
	if err := report.CodeTable(&table, checks.Documented()); err != nil {
		fmt.Fprintf(std.err, "tunneldoctor docs codes: %v\n", err)
		return 1
	}
	if *write == "" {
		std.out.Write(table.Bytes())
		return 0
	}
	if err := rewriteCodeTable(*write, table.String()); err != nil {
		fmt.Fprintf(std.err, "tunneldoctor docs codes: %v\n", err)
		return 1
	}
	return 0
}

func rewriteCodeTable(path, table string) error {
	doc, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	updated, err := report.ReplaceCodeTable(string(doc), table)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(updated), fi.Mode().Perm())
}
