package main

import (
	"flag"

	"github.com/tunneldoctor/tunneldoctor/agent/status"
)

// bindWebConfigFlag registers --web.config.file, the Prometheus web
// configuration file (TLS, basic auth) of the status server; watch serves
// with it, healthcheck reads it to reach that server.
func bindWebConfigFlag(fs *flag.FlagSet) *string {
	return fs.String("web.config.file", "",
		"Prometheus web configuration file for the HTTP server: tls_server_config, basic_auth_users (env TUNNELDOCTOR_WEB_CONFIG_FILE)")
}

// loadWebConfig reads the file; "" means none (plain HTTP, no auth).
func loadWebConfig(path string) (*status.WebConfig, error) {
	if path == "" {
		return nil, nil
	}
	return status.LoadWebConfig(path)
}
