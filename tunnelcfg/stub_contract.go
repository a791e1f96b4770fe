package tunnelcfg

import "errors"

// This file is a placeholder so the module builds while tunnelcfg is being
// written; the real implementations replace these functions.

// Settings is cloudflared's command line and environment, read from Docker
// inspect data.
type Settings struct{}

// Load reads a config file; I/O errors are returned, everything wrong with
// the content is a Problem.
func Load(path string) (*Config, []Problem, error) { return nil, nil, errors.New("not implemented") }

// Validate reports every problem of a configuration.
func Validate(c *Config) []Problem { return nil }
