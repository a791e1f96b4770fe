package cloudflared

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// TunnelState is /diag/tunnel: the tunnel, this connector and its live edge
// connections.
type TunnelState struct {
	TunnelID    string       `json:"tunnel_id"`
	ConnectorID string       `json:"connector_id"`
	Connections []Connection `json:"connections"`
	ICMPSources []string     `json:"icmp_sources,omitempty"`
}

// Connection is one live edge connection.
type Connection struct {
	Index       int    `json:"index"`
	Protocol    string `json:"protocol"` // "quic" or "http2"
	EdgeAddress string `json:"edge_address"`
	IsConnected bool   `json:"is_connected"`
}

// zeroUUID is how cloudflared renders an unknown tunnel or connector ID
// (uuid.UUID is an array, so omitempty never drops it).
const zeroUUID = "00000000-0000-0000-0000-000000000000"

// TunnelState reads /diag/tunnel. cloudflared marshals it with omitempty on
// ints and bools, so an http2 connection has no "protocol" (0), connection
// index 0 has no "index", and no live connection means no "connections".
func (c *Client) TunnelState(ctx context.Context) (TunnelState, error) {
	code, body, err := c.get(ctx, "/diag/tunnel")
	if err != nil {
		return TunnelState{}, err
	}
	if code != http.StatusOK {
		return TunnelState{}, fmt.Errorf("GET %s/diag/tunnel: HTTP %d: %q", c.base, code, snippet(body))
	}
	var raw struct {
		TunnelID    string `json:"tunnelID"`
		ConnectorID string `json:"connectorID"`
		Connections []struct {
			IsConnected bool   `json:"isConnected"`
			Protocol    int    `json:"protocol"`
			EdgeAddress string `json:"edgeAddress"`
			Index       int    `json:"index"`
		} `json:"connections"`
		ICMPSources []string `json:"icmp_sources"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return TunnelState{}, fmt.Errorf("GET %s/diag/tunnel: not cloudflared's JSON (%q): %w", c.base, snippet(body), err)
	}
	ts := TunnelState{TunnelID: raw.TunnelID, ConnectorID: raw.ConnectorID, ICMPSources: raw.ICMPSources}
	if ts.TunnelID == zeroUUID {
		ts.TunnelID = ""
	}
	if ts.ConnectorID == zeroUUID {
		ts.ConnectorID = ""
	}
	for _, rc := range raw.Connections {
		p := "http2"
		if rc.Protocol == 1 {
			p = "quic"
		}
		ts.Connections = append(ts.Connections, Connection{Index: rc.Index, Protocol: p, EdgeAddress: rc.EdgeAddress, IsConnected: rc.IsConnected})
	}
	return ts, nil
}

// Connected counts the connections cloudflared reports as connected.
func (t TunnelState) Connected() int {
	n := 0
	for _, c := range t.Connections {
		if c.IsConnected {
			n++
		}
	}
	return n
}
