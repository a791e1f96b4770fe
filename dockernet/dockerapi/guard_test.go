package dockerapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingEngine is a fake Engine API on a unix socket: it answers /_ping
// as a daemon would, 404s everything else, and records every request that
// reaches it.
type recordingEngine struct {
	host string
	mu   sync.Mutex
	seen []string // "METHOD /path", in arrival order
}

func startRecordingEngine(t *testing.T) *recordingEngine {
	t.Helper()
	// A unix socket path is limited to 108 bytes: TempDir can be longer.
	sock := filepath.Join(t.TempDir(), "docker.sock")
	if len(sock) > 100 {
		t.Fatalf("socket path too long: %s", sock)
	}
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	e := &recordingEngine{host: "unix://" + sock}
	srv := httptest.NewUnstartedServer(e)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return e
}

func (e *recordingEngine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.seen = append(e.seen, r.Method+" "+r.URL.Path)
	e.mu.Unlock()
	w.Header().Set("Api-Version", "1.41")
	w.Header().Set("Ostype", "linux")
	if strings.HasSuffix(r.URL.Path, "/_ping") {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("OK"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	http.Error(w, `{"message":"page not found"}`, http.StatusNotFound)
}

func (e *recordingEngine) requests() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.seen...)
}

// TestClientRefusesWrites proves the client cannot write, whatever asks: a
// write (TryWrite pauses a container) fails with ErrNotReadOnly, is not
// counted, and never reaches the Engine API, while reads through the same
// client do reach it.
func TestClientRefusesWrites(t *testing.T) {
	// The TLS settings of the environment would make the client speak
	// HTTPS to the plain fake.
	t.Setenv("DOCKER_CERT_PATH", "")
	t.Setenv("DOCKER_TLS_VERIFY", "")
	e := startRecordingEngine(t)
	cli, err := Dial(e.host)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// A read first, so "nothing but reads arrived" below is not vacuous.
	if _, err := cli.Ping(ctx); err != nil {
		t.Fatalf("ping the fake engine: %v", err)
	}
	before := cli.Calls()
	if before == 0 || len(e.requests()) == 0 {
		t.Fatalf("the ping did not reach the fake engine: %d calls, requests %v", before, e.requests())
	}

	err = cli.TryWrite(ctx)
	if err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Fatalf("a POST must be refused before it leaves: %v", err)
	}
	if !errors.Is(err, ErrNotReadOnly) || !strings.Contains(err.Error(), "POST") || !strings.Contains(err.Error(), "/pause") {
		t.Errorf("refused write: %v, want ErrNotReadOnly naming POST and the pause path", err)
	}
	if got := cli.Calls(); got != before {
		t.Errorf("the refused write was counted: %d calls, %d before it", got, before)
	}
	for _, r := range e.requests() {
		if method, _, _ := strings.Cut(r, " "); method != http.MethodGet && method != http.MethodHead {
			t.Errorf("the fake engine received %q: only GET and HEAD may leave the client", r)
		}
		if strings.Contains(r, "/pause") {
			t.Errorf("the refused write reached the fake engine: %q", r)
		}
	}
}
