package agent

import "github.com/tunneldoctor/tunneldoctor/tunnelcfg"

// IngressFacts is the ingress configuration cloudflared runs, and the local
// file when it was read (the two differ for dashboard-managed tunnels).
type IngressFacts struct {
	Gap
	// Config is the live configuration: what cloudflared uses. With only a
	// config file to go on, it is that file.
	Config *tunnelcfg.Config
	// Problems are the load and validation problems of Config.
	Problems []tunnelcfg.Problem
	// File is the local config file when it was read (may equal Config).
	File *tunnelcfg.Config
	// FileProblems are the load and validation problems of File.
	FileProblems []tunnelcfg.Problem
	// Settings is cloudflared's command line and environment, when known.
	Settings *tunnelcfg.Settings
	// Notes say how the live configuration was chosen (shown in reports).
	Notes []string
}
