package cfapi

import (
	"encoding/json"
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// parseRemoteConfig reads the API's configuration result
// ({"tunnel_id","version","config":{"ingress":[...]},"source"}).
//
// TODO(tunnelcfg): switch to tunnelcfg.ParseJSON(raw, tunnelcfg.FromAPI) once
// it exists; until then only what the edge checks compare is read (version,
// and each rule's hostname, path and service).
func parseRemoteConfig(raw []byte) (*tunnelcfg.Config, error) {
	var res struct {
		Version int `json:"version"`
		Config  *struct {
			Ingress []struct {
				Hostname string `json:"hostname"`
				Path     string `json:"path"`
				Service  string `json:"service"`
			} `json:"ingress"`
		} `json:"config"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return nil, fmt.Errorf("tunnel configuration: %w", err)
	}
	cfg := &tunnelcfg.Config{Origin: tunnelcfg.FromAPI, Version: res.Version}
	if res.Config != nil {
		for i, r := range res.Config.Ingress {
			cfg.Rules = append(cfg.Rules, tunnelcfg.Rule{Index: i, Hostname: r.Hostname, Path: r.Path, Service: r.Service})
		}
	}
	return cfg, nil
}
