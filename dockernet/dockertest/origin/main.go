// Command origin is a small origin server for tests: it runs in FROM scratch
// images and behaves as asked (status, delay, TLS, crash, memory hog,
// health). It also serves as its own healthcheck: `origin probe URL`.
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
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "probe" {
		os.Exit(probe(os.Args[2:]))
	}
	var c config
	fs := flag.NewFlagSet("origin", flag.ExitOnError)
	fs.StringVar(&c.listen, "listen", ":8080", "listen addresses, comma separated")
	fs.StringVar(&c.tlsMode, "tls", "none", "none | self-signed (a certificate for the hostname and localhost, made at start)")
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
	if c.exitAfter > 0 {
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
		w.WriteHeader(c.status)
		io.WriteString(w, c.body)
	})
	var tlsConf *tls.Config
	if c.tlsMode == "self-signed" {
		cert, err := selfSigned()
		if err != nil {
			return err
		}
		tlsConf = &tls.Config{Certificates: []tls.Certificate{cert}}
	} else if c.tlsMode != "none" {
		return fmt.Errorf("unknown --tls %q", c.tlsMode)
	}
	errc := make(chan error, 1)
	for _, addr := range strings.Split(c.listen, ",") {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		if tlsConf != nil {
			ln = tls.NewListener(ln, tlsConf)
		}
		fmt.Fprintf(os.Stderr, "origin: listening on %s (tls %s)\n", ln.Addr(), c.tlsMode)
		go func() { errc <- (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(ln) }()
	}
	return <-errc
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
