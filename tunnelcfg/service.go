package tunnelcfg

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// ServiceKind classifies a rule's service the way cloudflared builds its
// origin (ingress.go validateIngress).
type ServiceKind string

const (
	ServiceHTTP       ServiceKind = "http"        // http, https, ws, wss: proxied as HTTP
	ServiceUnix       ServiceKind = "unix"        // unix:<path>, HTTP over a socket
	ServiceUnixTLS    ServiceKind = "unix+tls"    // unix+tls:<path>, HTTPS over a socket
	ServiceHTTPStatus ServiceKind = "http_status" // http_status:N, a fixed empty response
	ServiceHelloWorld ServiceKind = "hello_world" // built-in TLS test server
	ServiceSocksProxy ServiceKind = "socks-proxy"
	ServiceBastion    ServiceKind = "bastion"
	ServiceTCP        ServiceKind = "tcp" // any other scheme: TCP over WebSocket (ssh, rdp, smb, tcp, ...)
)

// Service is a parsed ingress service.
type Service struct {
	Raw        string      `json:"raw"`
	Kind       ServiceKind `json:"kind"`
	Scheme     string      `json:"scheme,omitempty"` // lowercased by url.Parse, as cloudflared sees it
	Host       string      `json:"host,omitempty"`   // without brackets for IPv6
	Port       int         `json:"port,omitempty"`   // explicit, else the scheme's default; 0 when none
	PortSet    bool        `json:"port_set,omitempty"`
	UnixPath   string      `json:"unix_path,omitempty"`
	StatusCode int         `json:"status_code,omitempty"`
	RawQuery   string      `json:"query,omitempty"`    // dropped by cloudflared
	Fragment   string      `json:"fragment,omitempty"` // dropped by cloudflared
}

// ServiceError is why cloudflared refuses a service; Kind says which rule.
type ServiceError struct {
	Kind Kind
	Msg  string // cloudflared's own text
}

func (e *ServiceError) Error() string { return e.Msg }

// defaultPort is the port cloudflared adds to TCP-style services
// (origin_service.go newTCPOverWSService) and Go's transport to HTTP ones;
// 0 for other schemes, which cloudflared dials without a port (and fails).
func defaultPort(scheme string) int {
	switch scheme {
	case "http", "ws":
		return 80
	case "https", "wss":
		return 443
	case "ssh":
		return 22
	case "rdp":
		return 3389
	case "smb":
		return 445
	case "tcp":
		return 7864
	}
	return 0
}

// ParseService classifies a service string, checking it in cloudflared's
// order: unix:, unix+tls:, http_status:, hello_world, socks-proxy, bastion,
// then a URL with a scheme, a host and no path.
func ParseService(raw string) (Service, error) {
	s := Service{Raw: raw}
	switch {
	case strings.HasPrefix(raw, "unix:"):
		s.Kind, s.UnixPath = ServiceUnix, strings.TrimPrefix(raw, "unix:")
		return s, nil
	case strings.HasPrefix(raw, "unix+tls:"):
		s.Kind, s.UnixPath = ServiceUnixTLS, strings.TrimPrefix(raw, "unix+tls:")
		return s, nil
	case strings.HasPrefix(raw, "http_status:"):
		s.Kind = ServiceHTTPStatus
		code, err := strconv.Atoi(strings.TrimPrefix(raw, "http_status:"))
		if err != nil {
			return s, &ServiceError{KindHTTPStatusInvalid, "invalid HTTP status code: " + err.Error()}
		}
		if code < 100 || code > 999 {
			return s, &ServiceError{KindHTTPStatusInvalid, fmt.Sprintf("invalid HTTP status code: %d", code)}
		}
		s.StatusCode = code
		return s, nil
	case raw == "hello_world" || raw == "hello-world":
		s.Kind, s.Scheme, s.Host = ServiceHelloWorld, "https", "127.0.0.1"
		return s, nil
	case raw == "socks-proxy":
		s.Kind = ServiceSocksProxy
		return s, nil
	case raw == "bastion":
		s.Kind = ServiceBastion
		return s, nil
	}
	return parseURLService(s)
}

func parseURLService(s Service) (Service, error) {
	u, err := url.Parse(s.Raw)
	if err != nil {
		return s, &ServiceError{KindServiceInvalid, err.Error()}
	}
	if u.Scheme == "" || u.Hostname() == "" {
		return s, &ServiceError{KindServiceInvalid, fmt.Sprintf("%s is an invalid address, please make sure it has a scheme and a hostname", s.Raw)}
	}
	if u.Path != "" {
		return s, &ServiceError{KindServiceHasPath, fmt.Sprintf("%s is an invalid address, ingress rules don't support proxying to a different path on the origin service. The path will be the same as the eyeball request's path", s.Raw)}
	}
	s.Kind = ServiceTCP
	switch u.Scheme {
	case "http", "https", "ws", "wss":
		s.Kind = ServiceHTTP
	}
	s.Scheme, s.Host = u.Scheme, u.Hostname()
	s.RawQuery, s.Fragment = u.RawQuery, u.Fragment
	if p := u.Port(); p != "" {
		// url.Parse guarantees digits; the range is checked by Validate.
		n, err := strconv.Atoi(p)
		if err != nil {
			n = -1
		}
		s.Port, s.PortSet = n, true
	} else {
		s.Port = defaultPort(u.Scheme)
	}
	return s, nil
}

// Address is host:port as cloudflared dials it ("" for services that do not
// dial a TCP address: unix sockets, http_status, bastion, socks-proxy).
func (s Service) Address() string {
	if s.Host == "" || s.Kind == ServiceHelloWorld {
		return ""
	}
	if s.Port == 0 {
		return s.Host
	}
	return net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}

// IsLoopback reports whether the service dials the loopback interface or
// "this host" (0.0.0.0, ::): inside a container that is cloudflared itself.
func (s Service) IsLoopback() bool {
	if s.Host == "" || s.Kind == ServiceHelloWorld {
		return false
	}
	h := strings.ToLower(strings.TrimSuffix(s.Host, "."))
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

// UsesTLS reports whether cloudflared speaks TLS to the origin.
func (s Service) UsesTLS() bool {
	switch s.Kind {
	case ServiceUnixTLS, ServiceHelloWorld:
		return true
	case ServiceHTTP:
		return s.Scheme == "https" || s.Scheme == "wss"
	}
	return false
}

// IsHTTP reports whether cloudflared proxies HTTP to this service (the
// originRequest HTTP options apply).
func (s Service) IsHTTP() bool {
	switch s.Kind {
	case ServiceHTTP, ServiceUnix, ServiceUnixTLS, ServiceHelloWorld:
		return true
	}
	return false
}
