package main

import (
	"crypto/sha1" //nolint:gosec // RFC 6455 defines the handshake with SHA-1
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// refuseHost answers a request whose Host is not allowed the way the named
// app does, and reports whether it did.
func refuseHost(w http.ResponseWriter, r *http.Request, c config) bool {
	if c.allowedHosts == "" {
		return false
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if c.hostRefusal == "homeassistant" {
		// Home Assistant refuses forwarded requests from a proxy it does
		// not trust, whatever the Host.
		if r.Header.Get("X-Forwarded-For") == "" {
			return false
		}
		w.Header().Set("Server", "Python/3.13 aiohttp/3.11.11")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, "400: Bad Request")
		return true
	}
	for _, a := range strings.Split(c.allowedHosts, ",") {
		if strings.EqualFold(strings.TrimSpace(a), host) {
			return false
		}
	}
	switch c.hostRefusal {
	case "vite":
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, "Blocked request. This host (%q) is not allowed.\nTo allow this host, add %q to `server.allowedHosts` in vite.config.js.", host, host)
	case "django":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "<h1>DisallowedHost at /</h1><pre>Invalid HTTP_HOST header: '%s'. You may need to add '%s' to ALLOWED_HOSTS.</pre>", r.Host, host)
	case "nextcloud":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, "<h2>Access through untrusted domain</h2><p>Please contact your administrator. If you are an administrator, edit the \"trusted_domains\" setting in config/config.php like the example in config.sample.php.</p>")
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, "Invalid Host header")
	}
	return true
}

// upgradeWebSocket completes a WebSocket handshake and then closes the
// connection, and reports whether it did.
func upgradeWebSocket(w http.ResponseWriter, r *http.Request, c config) bool {
	if !c.websocket || !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		return false
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		return false
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return true
	}
	defer conn.Close()
	sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")) //nolint:gosec // RFC 6455
	fmt.Fprintf(buf, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
		base64.StdEncoding.EncodeToString(sum[:]))
	_ = buf.Flush()
	return true
}
