package dockertest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// Answer is how the hostile daemon answers one endpoint.
type Answer int

const (
	// Normal is a small, valid answer.
	Normal Answer = iota
	// Endless never ends: a JSON string without its closing quote.
	Endless
	// Huge is valid JSON, far too large (200 MB for the containers list).
	Huge
)

// HostileOptions chooses the answers of a HostileDaemon.
type HostileOptions struct {
	List    Answer // GET /containers/json
	Inspect Answer // GET /containers/{id}/json
	Events  Answer // GET /events: Normal sends one event and holds the stream open
	// HugeBytes is the size of a Huge answer; 0 means 200 MB.
	HugeBytes int64
}

// HostileDaemon is a fake Docker Engine API on a unix socket in a temporary
// directory, whose answers can be endless or huge: the bounds on what
// tunneldoctor reads are tested and measured against it with the real
// client. It answers /_ping, /version, /info, /containers/json,
// /containers/{id}/json, /networks and /events; the one container it lists
// runs cloudflare/cloudflared.
type HostileDaemon struct {
	// Host is the DOCKER_HOST to use: unix:///.../docker.sock.
	Host string
	// Sent counts the body bytes written, over all requests.
	Sent atomic.Int64
	// Requests counts the requests.
	Requests atomic.Int64
	opts     HostileOptions
}

// CloudflaredID is the ID of the container the hostile daemon lists.
const CloudflaredID = "c0ffee0000000000000000000000000000000000000000000000000000000001"

// maxEndless stops an endless answer whose reader never gives up, so a
// test that failed cannot fill the machine.
const maxEndless = 4 << 30

// StartHostile serves a HostileDaemon on a socket in t.TempDir() until the
// test ends.
func StartHostile(t testing.TB, o HostileOptions) *HostileDaemon {
	t.Helper()
	// A unix socket path is limited to 108 bytes: TempDir can be longer.
	sock := filepath.Join(t.TempDir(), "docker.sock")
	if len(sock) > 100 {
		t.Fatalf("socket path too long: %s", sock)
	}
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatalf("hostile daemon: %v", err)
	}
	if o.HugeBytes == 0 {
		o.HugeBytes = 200 << 20
	}
	d := &HostileDaemon{Host: "unix://" + sock, opts: o}
	srv := &http.Server{Handler: d}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return d
}

func (d *HostileDaemon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.Requests.Add(1)
	w.Header().Set("Api-Version", "1.41")
	w.Header().Set("Content-Type", "application/json")
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/v1.41"); ok {
		path = rest
	}
	switch {
	case path == "/_ping":
		w.Header().Set("Content-Type", "text/plain")
		d.write(w, []byte("OK"))
	case path == "/version":
		d.write(w, []byte(`{"Version":"20.10.99","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux"}`))
	case path == "/info":
		d.write(w, []byte(`{"Name":"hostile","OperatingSystem":"Debian","ServerVersion":"20.10.99"}`))
	case path == "/networks":
		d.write(w, []byte(`[{"Name":"bridge","Id":"`+strings.Repeat("b", 64)+`","Driver":"bridge"}]`))
	case path == "/containers/json":
		switch d.opts.List {
		case Endless:
			d.endless(w, `[{"Id":"`+CloudflaredID+`","Names":["/cf"],"Image":"`)
		case Huge:
			d.hugeList(w)
		default:
			d.write(w, []byte("["+summary(CloudflaredID, "cf")+"]"))
		}
	case strings.HasPrefix(path, "/containers/") && strings.HasSuffix(path, "/json"):
		if d.opts.Inspect == Endless {
			d.endless(w, `{"Id":"`+CloudflaredID+`","Name":"/cf","Config":{"Env":["A=`)
			return
		}
		d.write(w, []byte(`{"Id":"`+CloudflaredID+`","Name":"/cf","State":{"Status":"running","Running":true},`+
			`"Config":{"Image":"cloudflare/cloudflared:2026.9.0","Cmd":["tunnel","run"]},"HostConfig":{"NetworkMode":"bridge"},`+
			`"NetworkSettings":{"Networks":{}}}`))
	case path == "/events":
		w.WriteHeader(http.StatusOK)
		d.write(w, []byte(`{"Type":"container","Action":"start","Actor":{"ID":"`+CloudflaredID+`","Attributes":{"name":"cf"}},"time":1,"timeNano":1000000000}`+"\n"))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		if d.opts.Events == Endless {
			d.endless(w, `{"Type":"container","Action":"die","Actor":{"ID":"`+CloudflaredID+`","Attributes":{"name":"`)
			return
		}
		<-r.Context().Done()
	default:
		http.Error(w, `{"message":"page not found"}`, http.StatusNotFound)
	}
}

func summary(id, name string) string {
	return `{"Id":"` + id + `","Names":["/` + name + `"],"Image":"cloudflare/cloudflared:2026.9.0",` +
		`"Command":"cloudflared tunnel run","State":"running","Status":"Up","HostConfig":{"NetworkMode":"bridge"},` +
		`"Labels":{"com.docker.compose.project":"hostile","com.docker.compose.service":"` + name + `"},` +
		`"NetworkSettings":{"Networks":{"bridge":{"NetworkID":"` + strings.Repeat("b", 64) + `","IPAddress":"172.17.0.2"}}}}`
}

func (d *HostileDaemon) write(w http.ResponseWriter, b []byte) bool {
	n, err := w.Write(b)
	d.Sent.Add(int64(n))
	return err == nil
}

// endless writes head, then 'a' until the reader hangs up.
func (d *HostileDaemon) endless(w http.ResponseWriter, head string) {
	if !d.write(w, []byte(head)) {
		return
	}
	chunk := bytes.Repeat([]byte("a"), 64<<10)
	for sent := int64(0); sent < maxEndless; sent += int64(len(chunk)) {
		if !d.write(w, chunk) {
			return
		}
	}
}

// hugeList writes a valid containers list of about HugeBytes.
func (d *HostileDaemon) hugeList(w http.ResponseWriter) {
	if !d.write(w, []byte("["+summary(CloudflaredID, "cf"))) {
		return
	}
	var buf bytes.Buffer
	for i, sent := 0, int64(0); sent < d.opts.HugeBytes; i++ {
		buf.Reset()
		fmt.Fprintf(&buf, ",%s", summary(fmt.Sprintf("%064x", i+2), fmt.Sprintf("web-%d", i)))
		if !d.write(w, buf.Bytes()) {
			return
		}
		sent += int64(buf.Len())
	}
	d.write(w, []byte("]"))
}
