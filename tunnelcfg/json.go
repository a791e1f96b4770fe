package tunnelcfg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// jsonConfig is cloudflared's remote configuration body
// (ingress/config.go RemoteConfigJSON); extra keys such as a rule's
// "Handlers" are ignored, as encoding/json does for cloudflared.
type jsonConfig struct {
	Ingress       []Rule         `json:"ingress"`
	OriginRequest *OriginRequest `json:"originRequest"`
	WarpRouting   WarpRouting    `json:"warp-routing"`
}

// ParseJSON reads a configuration in any of the JSON shapes tunneldoctor
// meets: cloudflared's /config `{"version":N,"config":{...}}`, the API's
// tunnel configuration `{"tunnel_id":..,"version":N,"config":{...},
// "source":..}` (also inside the API envelope `{"success":..,"result":{...}}`),
// or a bare `{"ingress":[...]}`. Durations are seconds. Validate it like a
// file; Lines are 0.
func ParseJSON(data []byte, origin Origin) (*Config, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("tunnel configuration JSON: %w", err)
	}
	if res, ok := top["result"]; ok {
		if _, hasSuccess := top["success"]; hasSuccess {
			if isNull(res) {
				return nil, errors.New("tunnel configuration JSON: the API response has no result (check its errors)")
			}
			top = nil
			if err := json.Unmarshal(res, &top); err != nil {
				return nil, fmt.Errorf("tunnel configuration JSON: result: %w", err)
			}
		}
	}
	c := &Config{Origin: origin, Version: 0, match: &matchCache{}}
	if origin == FromFile || origin == FromCLI {
		c.Version = LocalVersion
	}
	body := data
	if cfg, ok := top["config"]; ok {
		if v, ok := top["version"]; ok && !isNull(v) {
			if err := json.Unmarshal(v, &c.Version); err != nil {
				return nil, fmt.Errorf("tunnel configuration JSON: version: %w", err)
			}
		}
		if v, ok := top["source"]; ok {
			_ = json.Unmarshal(v, &c.Source)
		}
		if v, ok := top["tunnel_id"]; ok {
			_ = json.Unmarshal(v, &c.Tunnel)
		}
		body = cfg
	} else if _, ok := top["ingress"]; !ok {
		return nil, errors.New(`tunnel configuration JSON: no "config" or "ingress" key; expected cloudflared's /config or the API's tunnel configuration`)
	}
	if isNull(body) {
		return c, nil
	}
	var jc jsonConfig
	if err := json.Unmarshal(body, &jc); err != nil {
		return nil, fmt.Errorf("tunnel configuration JSON: config: %w", err)
	}
	c.Rules = jc.Ingress
	for i := range c.Rules {
		c.Rules[i].Index = i
		if origin == FromCloudflared {
			c.Rules[i].OriginRequest.IPRules = dropOpaqueIPRules(c.Rules[i].OriginRequest.IPRules)
		}
	}
	if jc.OriginRequest != nil {
		c.OriginRequest = *jc.OriginRequest
	}
	c.WarpRouting = jc.WarpRouting
	return c, nil
}

func isNull(b json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }

// dropOpaqueIPRules removes the `{}` entries /config prints for ipRules
// (ipaccess.Rule has only unexported fields): cloudflared accepted them, the
// content is just not visible.
func dropOpaqueIPRules(rules []IPRule) []IPRule {
	var out []IPRule
	for _, r := range rules {
		if r.Prefix != nil || len(r.Ports) > 0 || r.Allow {
			out = append(out, r)
		}
	}
	return out
}
