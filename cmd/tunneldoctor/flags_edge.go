package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfclient"
	"github.com/tunneldoctor/tunneldoctor/agent/collect"
)

// maxTokenFile bounds the token file read: a token is ~40 bytes.
const maxTokenFile = 4096

// bindEdgeFlags binds the Cloudflare side: ids, zone, status page and the
// outside-in probe. The API token is never a flag (it would show in `ps`):
// it comes from CLOUDFLARE_API_TOKEN or the file CLOUDFLARE_API_TOKEN_FILE
// names (a Docker secret), read again on every run.
func bindEdgeFlags(fs *flag.FlagSet, o *collect.Options) {
	e := &o.Edge
	e.Cache = cfapi.NewCache()        // one per process: the watch loop reuses it
	e.HTTP = cfclient.NewHTTPClient() // and its connections
	e.Token = tokenFromEnv
	e.PublicProbe = collect.PublicProbeAuto

	fs.Func("account-id", "Cloudflare account id, 32 hex digits (default: from cloudflared's token or credentials; env TUNNELDOCTOR_ACCOUNT_ID)", func(s string) error {
		if !cfapi.ValidAccountID(strings.ToLower(s)) {
			return fmt.Errorf("want 32 hex digits (dashboard > the account > Overview > Account ID), got %q", s)
		}
		e.AccountID = s
		return nil
	})
	fs.Func("tunnel-id", "tunnel UUID (default: from cloudflared's token or credentials; env TUNNELDOCTOR_TUNNEL_ID)", func(s string) error {
		if !cfapi.ValidTunnelID(s) {
			return fmt.Errorf("want the tunnel's UUID (cloudflared tunnel list), got %q", s)
		}
		e.TunnelID = s
		return nil
	})
	fs.Func("zone", "look up only this zone name, e.g. example.com; repeatable or comma-separated (env TUNNELDOCTOR_ZONE)", func(s string) error {
		e.Zones = append(e.Zones, splitList(s)...)
		return nil
	})
	boolFlag(fs, &e.NoStatusPage, "no-status-page", e.NoStatusPage, "do not read Cloudflare's status page for incidents (env TUNNELDOCTOR_NO_STATUS_PAGE)")
	fs.Func("status-page-url", "status page base URL (default "+cfclient.DefaultStatusPageURL+"; env TUNNELDOCTOR_STATUS_PAGE_URL)", func(s string) error {
		return setURL(&e.StatusPageURL, s)
	})
	fs.Func("api-url", "Cloudflare API base URL (default "+cfclient.DefaultBaseURL+"; env TUNNELDOCTOR_API_URL)", func(s string) error {
		return setURL(&e.BaseURL, s)
	})
	durationFlag(fs, &e.CallTimeout, "api-timeout", 15*time.Second, "longest one Cloudflare API call may take, its one retry included (env TUNNELDOCTOR_API_TIMEOUT)", atLeast(time.Millisecond))
	fs.BoolFunc("no-public-probe", "do not request https://<hostname> as a visitor would; the same as --public-probe off (env TUNNELDOCTOR_NO_PUBLIC_PROBE)", func(s string) error {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%q is not a boolean: want true or false (or 1, t, 0, f)", s)
		}
		if b {
			e.PublicProbe = collect.PublicProbeOff
		}
		return nil
	})
	fs.Func("public-probe", "request https://<hostname> as a visitor would: auto (default: reported when this machine reaches the internet), on, off (env TUNNELDOCTOR_PUBLIC_PROBE)", func(s string) error {
		m, err := parseProbeMode(s)
		if err == nil {
			e.PublicProbe = m
		}
		return err
	})
}

// setURL accepts an absolute http(s) URL.
func setURL(dst *string, s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("want an http(s) URL such as https://api.example.net/client/v4, got %q", s)
	}
	*dst = s
	return nil
}

func parseProbeMode(s string) (string, error) {
	switch m := strings.ToLower(strings.TrimSpace(s)); m {
	case collect.PublicProbeAuto, collect.PublicProbeOn, collect.PublicProbeOff:
		return m, nil
	case "true", "1":
		return collect.PublicProbeOn, nil
	case "false", "0":
		return collect.PublicProbeOff, nil
	}
	return "", fmt.Errorf("want auto, on or off, got %q", s)
}

// tokenFromEnv reads the API token: CLOUDFLARE_API_TOKEN, or the file named
// by CLOUDFLARE_API_TOKEN_FILE. Both set is an error, not a silent choice.
func tokenFromEnv() (cfapi.Token, error) {
	direct, hasDirect := os.LookupEnv("CLOUDFLARE_API_TOKEN")
	file, hasFile := os.LookupEnv("CLOUDFLARE_API_TOKEN_FILE")
	switch {
	case hasDirect && hasFile && direct != "" && file != "":
		return "", errors.New("both CLOUDFLARE_API_TOKEN and CLOUDFLARE_API_TOKEN_FILE are set; unset one")
	case hasFile && file != "":
		return readTokenFile(file)
	}
	return cfapi.Token(strings.TrimSpace(direct)), nil
}

func readTokenFile(path string) (cfapi.Token, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("CLOUDFLARE_API_TOKEN_FILE: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	if err != nil {
		return "", fmt.Errorf("CLOUDFLARE_API_TOKEN_FILE %s: %w", path, err)
	}
	if len(b) > maxTokenFile {
		return "", fmt.Errorf("CLOUDFLARE_API_TOKEN_FILE %s: larger than %d bytes, not a token", path, maxTokenFile)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("CLOUDFLARE_API_TOKEN_FILE %s is empty", path)
	}
	if strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("CLOUDFLARE_API_TOKEN_FILE %s holds more than one word; it must hold only the token", path)
	}
	return cfapi.Token(tok), nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
