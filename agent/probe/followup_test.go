package probe

import (
	"crypto/sha1" //nolint:gosec // RFC 6455
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWebSocketUpgradeIsProbedForWSServices(t *testing.T) {
	upgrades := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" {
			fmt.Fprint(w, "ok")
			return
		}
		conn, buf, _ := w.(http.Hijacker).Hijack()
		defer conn.Close()
		sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")) //nolint:gosec // RFC 6455
		fmt.Fprintf(buf, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", base64.StdEncoding.EncodeToString(sum[:]))
		_ = buf.Flush()
	}))
	defer upgrades.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, "this is not a websocket endpoint")
	}))
	defer plain.Close()

	ok := probe(t, target(t, "ws://"+strings.TrimPrefix(upgrades.URL, "http://")))
	if !ok.WebSocket.Completed() {
		t.Errorf("upgrade not seen as completed: %+v", ok.WebSocket)
	}
	bad := probe(t, target(t, "ws://"+strings.TrimPrefix(plain.URL, "http://")))
	if bad.WebSocket == nil || bad.WebSocket.Completed() || bad.WebSocket.Status != 400 || !strings.Contains(bad.WebSocket.BodySample, "not a websocket") {
		t.Errorf("failed upgrade: %+v", bad.WebSocket)
	}
	if h := probe(t, target(t, upgrades.URL)); h.WebSocket != nil {
		t.Errorf("an http:// service got an upgrade probe: %+v", h.WebSocket)
	}
}

func TestRefusedHostIsRetriedWithServiceHost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, _, _ := net.SplitHostPort(r.Host); h != "127.0.0.1" && r.Host != "127.0.0.1" {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, "Blocked request. This host (%q) is not allowed.", r.Host)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	tg := target(t, srv.URL)
	tg.Hostname = "app.example.com"
	r := probe(t, tg)
	if r.HTTP == nil || r.HTTP.Status != 403 || !strings.Contains(r.HTTP.BodySample, `"app.example.com"`) {
		t.Fatalf("the public hostname was not sent as Host: %+v", r.HTTP)
	}
	if len(r.HostTries) != 1 || r.HostTries[0].Host != "127.0.0.1" || r.HostTries[0].Status != 200 {
		t.Errorf("host retries: %+v", r.HostTries)
	}
}
