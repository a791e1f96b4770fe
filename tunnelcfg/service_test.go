package tunnelcfg

import (
	"errors"
	"testing"
)

func TestParseService(t *testing.T) {
	tests := []struct {
		raw      string
		kind     ServiceKind
		addr     string
		port     int
		tls      bool
		loopback bool
	}{
		{"http://web:8080", ServiceHTTP, "web:8080", 8080, false, false},
		{"http://web", ServiceHTTP, "web:80", 80, false, false},
		{"https://web", ServiceHTTP, "web:443", 443, true, false},
		{"HTTPS://web", ServiceHTTP, "web:443", 443, true, false}, // url.Parse lowercases schemes, as cloudflared sees them
		{"ws://web", ServiceHTTP, "web:80", 80, false, false},
		{"wss://web", ServiceHTTP, "web:443", 443, true, false},
		{"http://localhost:8080", ServiceHTTP, "localhost:8080", 8080, false, true},
		{"http://127.0.0.2:1", ServiceHTTP, "127.0.0.2:1", 1, false, true},
		{"http://[::1]:80", ServiceHTTP, "[::1]:80", 80, false, true},
		{"ssh://host", ServiceTCP, "host:22", 22, false, false},
		{"rdp://host", ServiceTCP, "host:3389", 3389, false, false},
		{"smb://host", ServiceTCP, "host:445", 445, false, false},
		{"tcp://host", ServiceTCP, "host:7864", 7864, false, false},
		{"tcp://host:5432", ServiceTCP, "host:5432", 5432, false, false},
		{"ftp://host", ServiceTCP, "host", 0, false, false},
		{"unix:/run/app.sock", ServiceUnix, "", 0, false, false},
		{"unix+tls:/run/app.sock", ServiceUnixTLS, "", 0, true, false},
		{"http_status:404", ServiceHTTPStatus, "", 0, false, false},
		{"hello_world", ServiceHelloWorld, "", 0, true, false},
		{"hello-world", ServiceHelloWorld, "", 0, true, false},
		{"socks-proxy", ServiceSocksProxy, "", 0, false, false},
		{"bastion", ServiceBastion, "", 0, false, false},
	}
	for _, tt := range tests {
		s, err := ParseService(tt.raw)
		if err != nil {
			t.Errorf("%s: %v", tt.raw, err)
			continue
		}
		if s.Kind != tt.kind || s.Address() != tt.addr || s.Port != tt.port || s.UsesTLS() != tt.tls || s.IsLoopback() != tt.loopback {
			t.Errorf("%s: kind %s addr %q port %d tls %v loopback %v", tt.raw, s.Kind, s.Address(), s.Port, s.UsesTLS(), s.IsLoopback())
		}
	}
	if s, _ := ParseService("unix:/run/app.sock"); s.UnixPath != "/run/app.sock" {
		t.Errorf("unix path %q", s.UnixPath)
	}
	if s, _ := ParseService("http_status:503"); s.StatusCode != 503 {
		t.Errorf("status %d", s.StatusCode)
	}
}

func TestParseServiceErrors(t *testing.T) {
	tests := []struct {
		raw  string
		kind Kind
		msg  string
	}{
		{"localhost:8080", KindServiceInvalid, "localhost:8080 is an invalid address, please make sure it has a scheme and a hostname"},
		{"", KindServiceInvalid, " is an invalid address, please make sure it has a scheme and a hostname"},
		{"web:80", KindServiceInvalid, "web:80 is an invalid address, please make sure it has a scheme and a hostname"},
		{"http://web:80/", KindServiceHasPath, "http://web:80/ is an invalid address, ingress rules don't support proxying to a different path on the origin service. The path will be the same as the eyeball request's path"},
		{"http://a:abc", KindServiceInvalid, `parse "http://a:abc": invalid port ":abc" after host`},
		{"http_status:abc", KindHTTPStatusInvalid, `invalid HTTP status code: strconv.Atoi: parsing "abc": invalid syntax`},
		{"http_status:1000", KindHTTPStatusInvalid, "invalid HTTP status code: 1000"},
	}
	for _, tt := range tests {
		_, err := ParseService(tt.raw)
		var se *ServiceError
		if !errors.As(err, &se) || se.Kind != tt.kind || err.Error() != tt.msg {
			t.Errorf("%q: %v (%+v), want %s %q", tt.raw, err, se, tt.kind, tt.msg)
		}
	}
}
