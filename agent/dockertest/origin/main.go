// Command origin is a small origin server for tests: it runs in FROM scratch
// images and behaves as asked (status, delay, TLS from generated or given
// certificates, crash, memory hog, health) or breaks the protocol on purpose
// (HTTP/1.1-only ALPN, a body labelled gzip that is not, a Content-Length
// longer than the body, a listener that never answers), on TCP or a unix
// socket. It also serves as its own healthcheck: `origin probe URL`.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type config struct {
	listen       string
	tlsMode      string
	status       int
	body         string
	delay        time.Duration
	exitAfter    time.Duration
	exitCode     int
	healthStatus int
	allocMB      int
	say          listFlag
	// headers and redirectHTTPS were added for the probe tests.
	headers       listFlag
	redirectHTTPS bool
	// The rest break the protocol on purpose, for the probe tests.
	certFile, keyFile string
	h1Only            bool
	gzipBroken        bool
	lengthLie         int
	hang              bool
	trickle           time.Duration
	// allowedHosts, hostRefusal and websocket were added for the Host
	// header and WebSocket checks; logRequest for the upstream check.
	allowedHosts string
	hostRefusal  string
	websocket    bool
	logRequest   string
	// exitOnce and upstream were added so ORG008's fix (start the exited
	// upstream) can be applied: an upstream that stays up once started
	// again, and a proxy whose 502 depends on its upstream.
	exitOnce string
	upstream string
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "probe" {
		os.Exit(probe(os.Args[2:]))
	}
	var c config
	fs := flag.NewFlagSet("origin", flag.ExitOnError)
	fs.StringVar(&c.listen, "listen", ":8080", "listen addresses, comma separated")
	fs.StringVar(&c.tlsMode, "tls", "none", "none | self-signed (a certificate for the hostname and localhost, made at start); see --cert for given files")
	fs.IntVar(&c.status, "status", 200, "status of every response")
	fs.StringVar(&c.body, "body", "ok from origin\n", "response body")
	fs.DurationVar(&c.delay, "delay", 0, "wait before answering")
	fs.DurationVar(&c.exitAfter, "exit-after", 0, "exit after this long (with --exit-code); 0 = never")
	fs.IntVar(&c.exitCode, "exit-code", 1, "exit code for --exit-after")
	fs.IntVar(&c.healthStatus, "health-status", 200, "status of /healthz")
	fs.IntVar(&c.allocMB, "alloc-mb", 0, "allocate and touch this many MiB at start (to hit a memory limit)")
	fs.Var(&c.say, "say", "print this line to stderr at start (repeatable)")
	fs.Var(&c.headers, "header", `add this "Name: value" header to every response (repeatable)`)
	fs.BoolVar(&c.redirectHTTPS, "redirect-https", false, "answer every request with 301 to https://<Host><path>, as apps that force HTTPS do")
	fs.StringVar(&c.certFile, "cert", "", "serve TLS with this PEM certificate (chain) file; needs --key")
	fs.StringVar(&c.keyFile, "key", "", "PEM private key for --cert")
	fs.BoolVar(&c.h1Only, "h1-only", false, "offer only http/1.1 in TLS ALPN (TLS listeners offer h2 and http/1.1 otherwise)")
	fs.BoolVar(&c.gzipBroken, "gzip-broken", false, "label the body Content-Encoding: gzip without compressing it, as a misconfigured proxy does")
	fs.IntVar(&c.lengthLie, "content-length-lie", 0, "declare a Content-Length this many bytes longer than the body, send the body and close the connection")
	fs.BoolVar(&c.hang, "hang", false, "accept connections and never answer (no TLS, no HTTP): a hung origin")
	fs.DurationVar(&c.trickle, "trickle", 0, "send the status and headers, then one body byte per interval, never ending (slow-loris body)")
	fs.StringVar(&c.allowedHosts, "allowed-hosts", "", "refuse requests whose Host (port stripped) is not in this comma-separated list, as --host-refusal says")
	fs.StringVar(&c.hostRefusal, "host-refusal", "generic", "how a refused Host is answered: vite (403), django (400), nextcloud (400), homeassistant (400 to X-Forwarded-For), generic (400 Invalid Host header)")
	fs.BoolVar(&c.websocket, "websocket", false, "complete WebSocket upgrades (101 with the right Sec-WebSocket-Accept); without it an upgrade request gets the normal answer")
	fs.StringVar(&c.logRequest, "log-request", "", "print this line to stderr on every request, as nginx logs an upstream failure")
	fs.StringVar(&c.exitOnce, "exit-once", "", "with --exit-after: exit only if this file does not exist yet (and create it), so a later `docker start` stays up")
	fs.StringVar(&c.upstream, "upstream", "", "act as a proxy in front of this TCP host:port: answer --status/--body and log --log-request only when it cannot be dialled, else 200 via the upstream")
	// Installed as cloudflared (a discovery stand-in), it ignores
	// cloudflared's arguments and serves the defaults.
	if filepath.Base(os.Args[0]) != "cloudflared" {
		_ = fs.Parse(os.Args[1:])
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "origin:", err)
		os.Exit(2)
	}
}

func run(c config) error {
	for _, s := range c.say {
		fmt.Fprintln(os.Stderr, s)
	}
	if c.allocMB > 0 {
		hog := make([][]byte, 0, c.allocMB)
		for i := 0; i < c.allocMB; i++ {
			b := make([]byte, 1<<20)
			for j := range b {
				b[j] = byte(j)
			}
			hog = append(hog, b)
		}
		defer func() { _ = hog }()
	}
	exitNow := c.exitAfter > 0
	if exitNow && c.exitOnce != "" {
		if _, err := os.Stat(c.exitOnce); err == nil {
			exitNow = false // started again after the first exit: stay up
			fmt.Fprintln(os.Stderr, "origin: started again, staying up")
		} else if err := os.WriteFile(c.exitOnce, nil, 0o644); err != nil {
			return fmt.Errorf("--exit-once: %w", err)
		}
	}
	if exitNow {
		go func() {
			time.Sleep(c.exitAfter)
			fmt.Fprintf(os.Stderr, "origin: exiting with code %d as asked\n", c.exitCode)
			os.Exit(c.exitCode)
		}()
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(c.healthStatus)
		fmt.Fprintf(w, "health %d\n", c.healthStatus)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if c.upstream != "" {
			if conn, err := net.DialTimeout("tcp", c.upstream, 2*time.Second); err == nil {
				conn.Close()
				fmt.Fprintf(w, "ok via upstream %s\n", c.upstream)
				return
			}
		}
		if c.logRequest != "" {
			fmt.Fprintln(os.Stderr, c.logRequest)
		}
		if refuseHost(w, r, c) || upgradeWebSocket(w, r, c) {
			return
		}
		if c.delay > 0 {
			select {
			case <-time.After(c.delay):
			case <-r.Context().Done():
				return
			}
		}
		for _, h := range c.headers {
			if k, v, ok := strings.Cut(h, ":"); ok {
				w.Header().Set(strings.TrimSpace(k), strings.TrimSpace(v))
			}
		}
		if c.redirectHTTPS {
			http.Redirect(w, r, "https://"+r.Host+r.URL.RequestURI(), http.StatusMovedPermanently)
			return
		}
		if c.gzipBroken {
			w.Header().Set("Content-Encoding", "gzip")
		}
		if c.lengthLie > 0 {
			lieAboutLength(w, c)
			return
		}
		if c.trickle > 0 {
			trickle(w, r, c)
			return
		}
		w.WriteHeader(c.status)
		io.WriteString(w, c.body)
	})
	tlsConf, err := tlsConfig(c)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	for _, addr := range strings.Split(c.listen, ",") {
		ln, err := listen(addr)
		if err != nil {
			return err
		}
		if c.hang {
			fmt.Fprintf(os.Stderr, "origin: listening on %s, never answering\n", ln.Addr())
			go func() { errc <- hang(ln) }()
			continue
		}
		if tlsConf != nil {
			ln = tls.NewListener(ln, tlsConf)
		}
		fmt.Fprintf(os.Stderr, "origin: listening on %s (tls %s)\n", ln.Addr(), c.tlsMode)
		go func() { errc <- (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(ln) }()
	}
	return <-errc
}

// listen opens a TCP address, or a unix socket for "unix:/path" (a stale
// socket file is replaced; the socket is world-writable like most app
// sockets shared with a proxy).
func listen(addr string) (net.Listener, error) {
	path, ok := strings.CutPrefix(addr, "unix:")
	if !ok {
		return net.Listen("tcp", addr)
	}
	_ = os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o666); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// tlsConfig is nil for plain HTTP. ALPN offers h2 unless --h1-only, so
// http2Origin can be tested both ways.
func tlsConfig(c config) (*tls.Config, error) {
	var cert tls.Certificate
	var err error
	switch {
	case c.certFile != "" || c.keyFile != "":
		if c.tlsMode != "none" {
			return nil, fmt.Errorf("--cert/--key and --tls %s exclude each other", c.tlsMode)
		}
		c.tlsMode = "files"
		cert, err = tls.LoadX509KeyPair(c.certFile, c.keyFile)
	case c.tlsMode == "self-signed":
		cert, err = selfSigned()
	case c.tlsMode == "none":
		return nil, nil
	default:
		return nil, fmt.Errorf("unknown --tls %q", c.tlsMode)
	}
	if err != nil {
		return nil, err
	}
	protos := []string{"h2", "http/1.1"}
	if c.h1Only {
		protos = []string{"http/1.1"}
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: protos}, nil
}

// lieAboutLength writes the response by hand on the raw connection: a
// Content-Length longer than the body, then a close, as an app that crashes
// mid-response (net/http would not let a handler send this).
func lieAboutLength(w http.ResponseWriter, c config) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // HTTP/2: no raw connection to lie on
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", c.status, http.StatusText(c.status))
	for k, vs := range w.Header() {
		for _, v := range vs {
			fmt.Fprintf(buf, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(buf, "Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(c.body)+c.lengthLie, c.body)
	_ = buf.Flush()
}

// trickle answers at once, then drips the body a byte at a time until the
// client goes away.
func trickle(w http.ResponseWriter, r *http.Request, c config) {
	w.WriteHeader(c.status)
	rc := http.NewResponseController(w)
	tick := time.NewTicker(c.trickle)
	defer tick.Stop()
	for {
		if _, err := io.WriteString(w, "."); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		select {
		case <-tick.C:
		case <-r.Context().Done():
			return
		}
	}
}

// hang accepts every connection and holds it open, reading and discarding
// whatever arrives and never writing a byte.
func hang(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer conn.Close()
			_, _ = io.Copy(io.Discard, conn)
		}()
	}
}

func selfSigned() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	host, _ := os.Hostname()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: host},
		DNSNames:     []string{host, "localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// probe is the healthcheck: GET the URL, print what came back, exit 0 when
// the status is the expected one.
func probe(args []string) int {
	fs := flag.NewFlagSet("probe", flag.ExitOnError)
	expect := fs.Int("expect", 200, "expected status")
	_ = fs.Parse(args)
	if fs.NArg() != 1 {
		fmt.Println("usage: origin probe [--expect N] URL")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fs.Arg(0), nil)
	if err != nil {
		fmt.Println("probe:", err)
		return 2
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Println("probe failed:", err)
		return 1
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	fmt.Printf("probe %s: status %d: %s", fs.Arg(0), resp.StatusCode, body)
	if resp.StatusCode != *expect {
		return 1
	}
	return 0
}
