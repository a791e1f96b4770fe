package cloudflared

import (
	"encoding/json"
	"errors"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// parseConfigJSON reads /config's {"version":N,"config":{...}}. Both keys
// must be there: another server on cloudflared's port is not cloudflared.
func parseConfigJSON(body []byte) (*tunnelcfg.Config, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, errors.New("not cloudflared's /config JSON: " + err.Error())
	}
	if _, ok := top["version"]; !ok {
		return nil, errors.New(`not cloudflared's /config JSON: no "version"`)
	}
	if _, ok := top["config"]; !ok {
		return nil, errors.New(`not cloudflared's /config JSON: no "config"`)
	}
	return tunnelcfg.ParseJSON(body, tunnelcfg.FromCloudflared)
}
