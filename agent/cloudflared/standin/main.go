// Command standin is a stand-in for cloudflared in tests: it is built into a
// FROM scratch image (binary named "cloudflared") or run as a local process.
//
// It reads cloudflared's command line (`cloudflared --no-autoupdate tunnel
// --metrics 0.0.0.0:20241 run --token X`), TUNNEL_* environment and --config
// file the way cloudflared 2026.8 does, serves cloudflared's metrics endpoints
// (/ready, /config, /diag/tunnel, /metrics, /healthcheck) and writes the exact
// log lines cloudflared writes (console or JSON, to stderr) for the situation
// chosen by STANDIN_MODE. It never dials anything: every "edge" event is
// simulated, so no traffic leaves the machine.
//
// Environment (besides cloudflared's own TUNNEL_* variables):
//
//	STANDIN_MODE           connected (default) | unauthorized | quic-blocked |
//	                       tcp-blocked | edge-blocked | dns-fail | bad-token |
//	                       flag-after-run | invalid-config
//	                       (dns-fail: the container's resolver fails; without
//	                       --edge the SRV discovery fails and it exits; with
//	                       --edge/TUNNEL_EDGE names fail to resolve, IP:port
//	                       pairs need no DNS, and it exits only when no
//	                       address resolves, as cloudflared)
//	STANDIN_CONFIG_JSON    a remote (dashboard) configuration pushed by the
//	                       "edge" after connecting: {"ingress":[...],...} or
//	                       {"version":N,"config":{...}}
//	STANDIN_VERSION        the version of that push (default 1)
//	STANDIN_VERSION_STRING cloudflared version reported (default 2026.8.2)
//	STANDIN_ORIGIN_ERRORS  "RULE=CAUSE" entries separated by ";" or newlines:
//	                       proxy errors logged once connected, as cloudflared
//	                       logs "Unable to reach the origin service" lines
//	STANDIN_ORIGIN_ERROR_EVERY  repeat those lines at this interval (Go duration)
//	STANDIN_CONNECT_DELAY  time before the first connection registers
//
// GET /standin/origin-error?rule=N&cause=TEXT on the metrics server logs one
// more origin error on demand (not a cloudflared endpoint; tests only).
package main

import (
	"fmt"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// version is what `cloudflared version` and build_info report.
func version(getenv func(string) string) string {
	if v := getenv("STANDIN_VERSION_STRING"); v != "" {
		return v
	}
	return "2026.8.2"
}

func printVersion(getenv func(string) string) string {
	return fmt.Sprintf("cloudflared version %s (built 2026-08-28-1200 UTC)", version(getenv))
}
