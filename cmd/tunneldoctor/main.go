// Command tunneldoctor diagnoses Cloudflare Tunnel (cloudflared) on Docker.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/mattn/go-isatty"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	std := stdio{
		out:    os.Stdout,
		err:    os.Stderr,
		outTTY: isatty.IsTerminal(os.Stdout.Fd()),
		errTTY: isatty.IsTerminal(os.Stderr.Fd()),
	}
	code := dispatch(ctx, std, "tunneldoctor", commands(), os.Args[1:])
	stop()
	os.Exit(code)
}

// commands lists the subcommands, each defined in its own cmd_<name>.go.
// Add yours here: one line.
func commands() []command {
	return []command{
		checkCommand(),
		ingressCommand(),
		explainCommand(),
		versionCommand(),
		docsCommand(),
		watchCommand(),
		healthcheckCommand(),
	}
}
