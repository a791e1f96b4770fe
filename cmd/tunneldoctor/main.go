// Command tunneldoctor diagnoses Cloudflare Tunnel (cloudflared) on Docker.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "tunneldoctor: not wired yet")
	os.Exit(3)
}
