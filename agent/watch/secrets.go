package watch

import (
	"regexp"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// secretEnvName marks environment variables whose values are secrets.
// Only these are registered: redacting every env value ("production",
// "8080") from every line would garble the logs without protecting more.
var secretEnvName = regexp.MustCompile(`(?i)token|secret|passw|api_?key|private_?key|credential|auth`)

// SnapshotSecrets returns the secret values a run discovered: the values of
// secret-named environment variables (TUNNEL_TOKEN, DB_PASSWORD...) of every
// container the run inspected. The watcher registers them with its
// Redactor before logging, so they are replaced even where no pattern
// would recognise them.
func SnapshotSecrets(s *agent.Snapshot) []string {
	if s == nil || s.Docker.Topology == nil {
		return nil
	}
	var out []string
	for _, c := range s.Docker.Topology.Containers {
		for _, kv := range c.RawEnv() {
			name, value, ok := strings.Cut(kv, "=")
			if ok && secretEnvName.MatchString(name) && len(value) >= minSecretLen {
				out = append(out, value)
			}
		}
	}
	return out
}
