package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is stamped at build time: -ldflags "-X main.version=v1.2.3".
// Without it, the module version from the build info is used.
var version string

func versionCommand() command {
	return command{name: "version", summary: "print the version and build details", run: runVersion}
}

const versionHelp = `Usage: tunneldoctor version

Prints tunneldoctor's version, then the Go version, platform and commit it
was built from (when known).

Example:
  tunneldoctor version`

func runVersion(ctx context.Context, std stdio, args []string) int {
	fs := newFlagSet("version", std)
	pos, code, ok := parseArgs(fs, args, std, versionHelp)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(std, "version", "unexpected argument %q", pos[0])
	}
	v, commit := buildVersion()
	fmt.Fprintf(std.out, "tunneldoctor %s\n", v)
	fmt.Fprintf(std.out, "  go:       %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if commit != "" {
		fmt.Fprintf(std.out, "  commit:   %s\n", commit)
	}
	return 0
}

// buildVersion returns the stamped version, else the module's, else "dev",
// and the VCS revision when the build recorded one.
func buildVersion() (v, commit string) {
	v = version
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return orDev(v), ""
	}
	if v == "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if commit != "" && modified {
		commit += " (modified)"
	}
	return orDev(v), commit
}

func orDev(v string) string {
	if v == "" {
		return "dev"
	}
	return v
}
