package collect

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// maxCredentialsFile bounds the read: a credentials file is ~200 bytes.
const maxCredentialsFile = 64 << 10

// credentialsIDs is the part of a tunnel credentials file
// (~/.cloudflared/<tunnel-id>.json) tunneldoctor keeps. TunnelSecret is
// deliberately not a field: it is never decoded, so it cannot leak.
type credentialsIDs struct {
	AccountTag string `json:"AccountTag"`
	TunnelID   string `json:"TunnelID"`
}

// fillTunnelFromCredentials fills the tunnel and account ids the token did
// not give from the credentials file named by the config file or
// cloudflared's --credentials-file, when tunneldoctor can read it (on the
// host, or mounted at the same path). Unreadable files are left alone: the
// ids are then unknown, as before.
func fillTunnelFromCredentials(s *agent.Snapshot) {
	if s.Tunnel.Account != "" && s.Tunnel.ID != "" {
		return
	}
	for _, path := range credentialsPaths(s) {
		ids, err := readCredentialsIDs(path)
		if err != nil {
			continue
		}
		if s.Tunnel.Account == "" {
			s.Tunnel.Account = ids.AccountTag
		}
		if s.Tunnel.ID == "" {
			s.Tunnel.ID = ids.TunnelID
		}
		return
	}
}

func credentialsPaths(s *agent.Snapshot) []string {
	var out []string
	add := func(p string) {
		if p = strings.TrimSpace(p); p != "" && !contains(out, p) {
			out = append(out, p)
		}
	}
	if st := s.Docker.Settings; st != nil {
		add(st.CredentialsFile)
	}
	for _, c := range []*tunnelcfg.Config{s.Ingress.Config, s.Ingress.File} {
		if c != nil {
			add(c.CredentialsFile)
		}
	}
	return out
}

func readCredentialsIDs(path string) (credentialsIDs, error) {
	var ids credentialsIDs
	f, err := os.Open(path)
	if err != nil {
		return ids, fmt.Errorf("credentials file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxCredentialsFile))
	if err != nil {
		return ids, fmt.Errorf("credentials file %s: %w", path, err)
	}
	if err := json.Unmarshal(b, &ids); err != nil {
		// The decoder's error could quote the secret: say only where.
		return credentialsIDs{}, fmt.Errorf("credentials file %s is not cloudflared's JSON", path)
	}
	return ids, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
