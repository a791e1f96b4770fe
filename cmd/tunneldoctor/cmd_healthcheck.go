package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

func healthcheckCommand() command {
	return command{name: "healthcheck", summary: "query a running watch's /readyz (for Docker HEALTHCHECK; no curl needed)", run: runHealthcheck}
}

const healthcheckHelp = `Usage: tunneldoctor healthcheck [flags]

Asks the sidecar (tunneldoctor watch) in the same container whether it is
ready: the tunnel is connected and every origin passes. Exit 0 when /readyz
answers 200, 1 otherwise (Docker's healthy/unhealthy), printing the reasons.
The distroless image has no curl or shell; this is its HEALTHCHECK.

Examples:
  tunneldoctor healthcheck
  tunneldoctor healthcheck --live            # only "is the process alive" (/healthz)
  tunneldoctor healthcheck --web.config.file /etc/tunneldoctor/web.yml --healthcheck-user probe --healthcheck-password-file /run/secrets/probe
  HEALTHCHECK --interval=30s --start-period=60s CMD ["tunneldoctor", "healthcheck"]`

// maxHealthBody bounds what is read from the endpoint.
const maxHealthBody = 64 << 10

func runHealthcheck(ctx context.Context, std stdio, args []string) int {
	fs := newFlagSet("healthcheck", std)
	listen := fs.String("listen", ":9090", "the watch's --listen address (env TUNNELDOCTOR_LISTEN)")
	url := fs.String("url", "", "full URL to query instead of the one derived from --listen")
	live := fs.Bool("live", false, "query /healthz (alive) instead of /readyz (ready)")
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this long")
	webConfigFile := bindWebConfigFlag(fs)
	user := fs.String("healthcheck-user", "", "basic auth user, when the web config lists basic_auth_users (env TUNNELDOCTOR_HEALTHCHECK_USER)")
	passwordFile := fs.String("healthcheck-password-file", "", "file holding that user's password (env TUNNELDOCTOR_HEALTHCHECK_PASSWORD_FILE, or the password itself in TUNNELDOCTOR_HEALTHCHECK_PASSWORD)")
	pos, code, ok := parseArgs(fs, args, std, healthcheckHelp)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(std, "healthcheck", "unexpected argument %q", pos[0])
	}
	webCfg, err := loadWebConfig(*webConfigFile)
	if err != nil {
		return usageError(std, "healthcheck", "%v", err)
	}
	clientTLS, err := webCfg.ClientTLS()
	if err != nil {
		return usageError(std, "healthcheck", "--web.config.file: %v", err)
	}
	password, err := healthcheckPassword(*passwordFile)
	if err != nil {
		return usageError(std, "healthcheck", "%v", err)
	}
	target := *url
	if target == "" {
		path := "/readyz"
		if *live {
			path = "/healthz"
		}
		base, err := localURL(*listen)
		if err != nil {
			return usageError(std, "healthcheck", "%v", err)
		}
		if clientTLS != nil {
			base = "https" + strings.TrimPrefix(base, "http")
		}
		target = base + path
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return usageError(std, "healthcheck", "--url %q: %v", target, err)
	}
	if *user != "" {
		req.SetBasicAuth(*user, password)
	}
	client := &http.Client{Timeout: *timeout}
	if clientTLS != nil {
		client.Transport = &http.Transport{TLSClientConfig: clientTLS}
	}
	res, err := client.Do(req)
	if err != nil {
		fmt.Fprintf(std.out, "unhealthy: %s: %v\n", target, err)
		return 1
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, maxHealthBody))
	if res.StatusCode != http.StatusOK {
		fmt.Fprintf(std.out, "unhealthy: %s answered %s\n%s\n", target, res.Status, strings.TrimSpace(string(body)))
		return 1
	}
	fmt.Fprintf(std.out, "healthy: %s\n", target)
	return 0
}

// healthcheckPassword reads the basic auth password from its file, else
// from TUNNELDOCTOR_HEALTHCHECK_PASSWORD.
func healthcheckPassword(file string) (string, error) {
	if file == "" {
		return os.Getenv("TUNNELDOCTOR_HEALTHCHECK_PASSWORD"), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("--healthcheck-password-file: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// localURL turns a listen address (":9090", "0.0.0.0:9090", "[::]:9090",
// "127.0.0.1:9090") into the URL to reach it from the same host.
func localURL(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil || port == "" {
		return "", fmt.Errorf("--listen %q: want host:port or :port", listen)
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}
