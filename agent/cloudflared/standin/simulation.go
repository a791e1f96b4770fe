package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// simulation plays the edge side of a tunnel per STANDIN_MODE, logging what
// cloudflared logs for it. Edge addresses are documentation-only strings.
type simulation struct {
	log      *logger
	st       *state
	getenv   func(string) string
	protocol string // auto | quic | http2
	mode     string
}

const edgeIP = "198.41.192.227"

func (s *simulation) initialProtocol() string {
	if s.protocol == "http2" {
		return "http2"
	}
	return "quic"
}

func (s *simulation) every() time.Duration {
	if d, err := time.ParseDuration(s.getenv("STANDIN_RETRY_EVERY")); err == nil && d > 0 {
		return d
	}
	return time.Second
}

func (s *simulation) connFields() []kv {
	return []kv{{"connIndex", 0}, {"event", 0}, {"ip", edgeIP}}
}

func (s *simulation) sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

func (s *simulation) run(ctx context.Context) {
	if d, err := time.ParseDuration(s.getenv("STANDIN_CONNECT_DELAY")); err == nil && !s.sleep(ctx, d) {
		return
	}
	switch s.mode {
	case "unauthorized":
		s.loop(ctx, func() {
			s.log.error("Register tunnel error from server side", append(s.connFields(), kv{"error", "Unauthorized: Invalid tunnel secret"})...)
		})
	case "quic-blocked":
		if s.protocol == "http2" || s.failQUIC(ctx) {
			s.connect(ctx, "http2")
		}
	case "tcp-blocked":
		if s.protocol == "http2" {
			s.failTCP(ctx)
			return
		}
		s.connect(ctx, "quic")
	case "edge-blocked":
		if s.protocol == "http2" || s.failQUIC(ctx) {
			s.failTCP(ctx)
		}
	default:
		s.connect(ctx, s.initialProtocol())
	}
}

// loop repeats one failure with cloudflared's retry line until stopped.
func (s *simulation) loop(ctx context.Context, fail func()) {
	for {
		fail()
		s.log.info("Retrying connection in up to 2s", s.connFields()...)
		if !s.sleep(ctx, s.every()) {
			return
		}
	}
}

// failQUIC logs UDP/7844 being dropped; with protocol auto cloudflared falls
// back to http2 (returns true), with --protocol quic it retries forever.
func (s *simulation) failQUIC(ctx context.Context) bool {
	for attempt := 1; ; attempt++ {
		s.log.error("Failed to dial a quic connection",
			append(s.connFields(), kv{"error", "failed to dial to edge with quic: timeout: no recent network activity"})...)
		s.log.info("Retrying connection in up to 2s", s.connFields()...)
		if attempt >= 2 {
			s.log.warn(quicPersistentWarning, s.connFields()...)
			if s.protocol != "quic" {
				s.log.info("Switching to fallback protocol http2", s.connFields()...)
				return true
			}
		}
		if !s.sleep(ctx, s.every()) {
			return false
		}
	}
}

func (s *simulation) failTCP(ctx context.Context) {
	cause := "DialContext error: dial tcp " + edgeIP + ":7844: i/o timeout"
	s.loop(ctx, func() {
		s.log.error("Unable to establish connection with Cloudflare edge", append(s.connFields(), kv{"error", cause})...)
		s.log.error("Serve tunnel error", append(s.connFields(), kv{"error", cause})...)
	})
}

// connect registers four connections, applies a remote configuration push
// and then logs the requested origin errors.
func (s *simulation) connect(ctx context.Context, protocol string) {
	for i := 0; i < 4; i++ {
		c := conn{index: i, protocol: protocol, edge: fmt.Sprintf("198.41.200.%d", 13+i*10)}
		s.st.mu.Lock()
		s.st.conns = append(s.st.conns, c)
		s.st.mu.Unlock()
		s.log.info("Registered tunnel connection", kv{"connIndex", i}, kv{"connection", newUUID()}, kv{"event", 0},
			kv{"ip", c.edge}, kv{"location", fmt.Sprintf("ams%02d", i+1)}, kv{"protocol", protocol})
	}
	s.pushRemote()
	s.originErrors(ctx)
}

func (s *simulation) pushRemote() {
	raw := s.getenv("STANDIN_CONFIG_JSON")
	if raw == "" {
		return
	}
	c, v, hasVersion, err := parseRemote(raw)
	if err != nil {
		s.log.error("Failed to deserialize new configuration", kv{"error", err.Error()})
		return
	}
	if !hasVersion {
		v = 1
	}
	if n, err := strconv.Atoi(s.getenv("STANDIN_VERSION")); err == nil {
		v = n
	}
	rendered := configJSON(c, v)
	compact, _ := json.Marshal(rendered.Config)
	s.st.mu.Lock()
	s.st.cfg = rendered
	s.st.mu.Unlock()
	s.log.info("Updated to new configuration", kv{"config", string(compact)}, kv{"version", v})
}

func (s *simulation) originErrors(ctx context.Context) {
	type entry struct {
		rule  int
		cause string
	}
	var entries []entry
	for _, part := range strings.FieldsFunc(s.getenv("STANDIN_ORIGIN_ERRORS"), func(r rune) bool { return r == ';' || r == '\n' }) {
		k, cause, ok := strings.Cut(strings.TrimSpace(part), "=")
		rule, err := strconv.Atoi(k)
		if !ok || err != nil {
			continue
		}
		entries = append(entries, entry{rule, cause})
	}
	if len(entries) == 0 {
		return
	}
	every, _ := time.ParseDuration(s.getenv("STANDIN_ORIGIN_ERROR_EVERY"))
	for {
		for _, e := range entries {
			emitOriginError(s.log, s.st, e.rule, e.cause)
		}
		if every <= 0 || !s.sleep(ctx, every) {
			return
		}
	}
}
