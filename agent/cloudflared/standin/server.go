package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strconv"
	"sync"
)

// conn is one registered edge connection.
type conn struct {
	index    int
	protocol string // "quic" or "http2"
	edge     string
}

// state is what the metrics endpoints report; the tunnel simulation updates it.
type state struct {
	mu            sync.Mutex
	tunnelID      string
	connectorID   string
	version       string
	conns         []conn
	cfg           versionedConfigJSON
	totalRequests int
	requestErrors int
	flags         map[string]string // non-secret flags for /diag/configuration
	emitOrigin    func(rule int, cause string)
}

func (s *state) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthcheck", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = fmt.Fprint(w, "OK\n")
	})
	mux.HandleFunc("/ready", s.ready)
	mux.HandleFunc("/config", s.config)
	mux.HandleFunc("/diag/tunnel", s.diagTunnel)
	mux.HandleFunc("/diag/configuration", s.diagConfiguration)
	mux.HandleFunc("/metrics", s.metrics)
	mux.HandleFunc("/quicktunnel", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = fmt.Fprint(w, `{"hostname":""}`)
	})
	mux.HandleFunc("/standin/origin-error", func(w http.ResponseWriter, r *http.Request) {
		rule, err := strconv.Atoi(r.URL.Query().Get("rule"))
		if err != nil {
			http.Error(w, "rule must be an integer", http.StatusBadRequest)
			return
		}
		s.emitOrigin(rule, r.URL.Query().Get("cause"))
	})
	return mux
}

func (s *state) ready(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	n, id := len(s.conns), s.connectorID
	s.mu.Unlock()
	status := http.StatusOK
	if n == 0 {
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Status           int    `json:"status"`
		ReadyConnections int    `json:"readyConnections"`
		ConnectorID      string `json:"connectorId"`
	}{status, n, id})
}

func (s *state) config(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	b, err := json.Marshal(s.cfg)
	s.mu.Unlock()
	if err != nil {
		http.Error(w, "ERR: "+err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = w.Write(b)
}

// diagTunnel mirrors cloudflared's omitempty quirks: an http2 connection
// (protocol 0) has no "protocol", index 0 has no "index", and no connections
// means no "connections" key at all.
func (s *state) diagTunnel(w http.ResponseWriter, _ *http.Request) {
	type connInfo struct {
		IsConnected bool   `json:"isConnected,omitempty"`
		Protocol    int    `json:"protocol,omitempty"`
		EdgeAddress net.IP `json:"edgeAddress,omitempty"`
		Index       int    `json:"index,omitempty"`
	}
	s.mu.Lock()
	body := struct {
		TunnelID    string     `json:"tunnelID,omitempty"`
		ConnectorID string     `json:"connectorID,omitempty"`
		Connections []connInfo `json:"connections,omitempty"`
		ICMPSources []string   `json:"icmp_sources,omitempty"`
	}{TunnelID: s.tunnelID, ConnectorID: s.connectorID, ICMPSources: []string{"172.17.0.2", "fe80::1"}}
	for _, c := range s.conns {
		p := 0
		if c.protocol == "quic" {
			p = 1
		}
		body.Connections = append(body.Connections, connInfo{true, p, net.ParseIP(c.edge), c.index})
	}
	s.mu.Unlock()
	_ = json.NewEncoder(w).Encode(body)
}

func (s *state) diagConfiguration(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	out := map[string]string{"uid": "65532"}
	for k, v := range s.flags {
		out[k] = v
	}
	s.mu.Unlock()
	_ = json.NewEncoder(w).Encode(out)
}

func (s *state) metrics(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ha := len(s.conns)
	if ha == 0 {
		ha = 1 // cloudflared counts attempts, not connections (fact sheet §6)
	}
	cfgVersion := s.cfg.Version
	if cfgVersion < 0 {
		cfgVersion = 0 // the gauge reads 0 while /config says -1
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	p := func(format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
	p("# HELP build_info Build and version information\n# TYPE build_info gauge\n")
	p("build_info{goversion=\"go1.26.4\",revision=\"d1df7985\",type=\"\",version=%q} 1\n", s.version)
	p("# HELP cloudflared_orchestration_config_version Configuration Version\n# TYPE cloudflared_orchestration_config_version gauge\n")
	p("cloudflared_orchestration_config_version %d\n", cfgVersion)
	p("# HELP cloudflared_tunnel_ha_connections Number of active ha connections\n# TYPE cloudflared_tunnel_ha_connections gauge\n")
	p("cloudflared_tunnel_ha_connections %d\n", ha)
	p("# HELP cloudflared_tunnel_request_errors Amount of errors due to proxying request\n# TYPE cloudflared_tunnel_request_errors counter\n")
	p("cloudflared_tunnel_request_errors %d\n", s.requestErrors)
	p("# HELP cloudflared_tunnel_total_requests Amount of requests proxied through all the tunnels\n# TYPE cloudflared_tunnel_total_requests counter\n")
	p("cloudflared_tunnel_total_requests %d\n", s.totalRequests)
	locs := make([]string, 0, len(s.conns))
	for _, c := range s.conns {
		locs = append(locs, fmt.Sprintf("cloudflared_tunnel_server_locations{connection_id=\"%d\",edge_location=\"ams%02d\"} 1\n", c.index, c.index+1))
	}
	sort.Strings(locs)
	if len(locs) > 0 {
		p("# HELP cloudflared_tunnel_server_locations Where each tunnel is connected to. 1 means current location, 0 means previous locations.\n# TYPE cloudflared_tunnel_server_locations gauge\n")
		for _, l := range locs {
			p("%s", l)
		}
	}
}
