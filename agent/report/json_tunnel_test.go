package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// TestJSONConfigVersion: tunnel.config_version is -1 for a local file, the
// dashboard's version (0 included) for a remote config, and null while no
// source said (never 0, which reads as the dashboard's first version). The
// field is always there: stable JSON never removes one.
func TestJSONConfigVersion(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tunnel agent.TunnelInfo
		want   any
	}{
		{"unknown", agent.TunnelInfo{}, nil},
		{"local", agent.TunnelInfo{ConfigSource: agent.ConfigSourceLocal, ConfigVersion: -1}, -1.0},
		{"file", agent.TunnelInfo{ConfigSource: agent.ConfigSourceFile, ConfigVersion: -1}, -1.0},
		{"dashboard 0", agent.TunnelInfo{ConfigSource: agent.ConfigSourceRemote, ConfigVersion: 0}, 0.0},
		{"dashboard 7", agent.TunnelInfo{ConfigSource: agent.ConfigSourceRemote, ConfigVersion: 7}, 7.0},
	} {
		var buf bytes.Buffer
		if err := JSON(&buf, &agent.Snapshot{Tunnel: tc.tunnel}, nil, 0); err != nil {
			t.Fatal(err)
		}
		var got struct{ Tunnel map[string]any }
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		v, ok := got.Tunnel["config_version"]
		if !ok || !reflect.DeepEqual(v, tc.want) {
			t.Errorf("%s: config_version %v (present %v), want %v", tc.name, v, ok, tc.want)
		}
	}
	// A nil snapshot has the same object, null version included.
	var buf bytes.Buffer
	if err := JSON(&buf, nil, nil, 3); err != nil {
		t.Fatal(err)
	}
	var got struct{ Tunnel map[string]any }
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if v, ok := got.Tunnel["config_version"]; !ok || v != nil {
		t.Errorf("nil snapshot: config_version %v (present %v), want null", v, ok)
	}
}

// TestJSONTunnelKeepsEveryField: the report's tunnel object has exactly
// agent.TunnelInfo's JSON names, so a field added there is not lost here.
func TestJSONTunnelKeepsEveryField(t *testing.T) {
	keys := func(v any) []string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var k []string
		for n := range m {
			k = append(k, n)
		}
		sort.Strings(k)
		return k
	}
	if a, b := keys(agent.TunnelInfo{}), keys(tunnelJSON(agent.TunnelInfo{})); !reflect.DeepEqual(a, b) {
		t.Errorf("agent.TunnelInfo has %v, the JSON report's tunnel %v", a, b)
	}
}
