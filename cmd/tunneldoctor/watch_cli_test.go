package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestHealthcheckCommand(t *testing.T) {
	var ready atomic.Bool
	ready.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/healthz":
			w.WriteHeader(http.StatusOK)
		case r.URL.Path == "/readyz" && ready.Load():
			w.WriteHeader(http.StatusOK)
		case r.URL.Path == "/readyz":
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"ready":false,"reasons":["ORG001 (app.example.com, origin): container web exited"]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	listen := strings.TrimPrefix(srv.URL, "http://")

	if r := run(t, nil, "healthcheck", "--listen", listen); r.code != 0 || !strings.Contains(r.stdout, "healthy") {
		t.Errorf("ready sidecar: %s", r)
	}
	ready.Store(false)
	r := run(t, nil, "healthcheck", "--listen", listen)
	if r.code != 1 || !strings.Contains(r.stdout, "container web exited") {
		t.Errorf("unready sidecar: want exit 1 with the reasons, got %s", r)
	}
	if r := run(t, nil, "healthcheck", "--listen", listen, "--live"); r.code != 0 {
		t.Errorf("--live on an alive but unready sidecar: %s", r)
	}
	if r := run(t, []string{"TUNNELDOCTOR_LISTEN=" + listen}, "healthcheck"); r.code != 1 {
		t.Errorf("address from TUNNELDOCTOR_LISTEN: %s", r)
	}
	if r := run(t, nil, "healthcheck", "--listen", "127.0.0.1:1"); r.code != 1 || !strings.Contains(r.stdout, "unhealthy") {
		t.Errorf("nothing listening: want exit 1, got %s", r)
	}
	if r := run(t, nil, "healthcheck", "--listen", "nonsense"); r.code != exitUsage {
		t.Errorf("bad --listen: want exit %d, got %s", exitUsage, r)
	}
}

func TestWatchRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"watch", "--interval", "10ms"},
		{"watch", "--interval", "soon"},
		{"watch", "--log-format", "xml"},
		{"watch", "--log-level", "chatty"},
		{"watch", "--debounce", "1h"},
		{"watch", "--probe-budget", "0s"},
		{"watch", "--probe-budget", "soon"},
	} {
		r := run(t, nil, args...)
		if r.code != exitUsage || r.stderr == "" {
			t.Errorf("%v: want exit %d with a message, got %s", args, exitUsage, r)
		}
	}
	if r := run(t, []string{"TUNNELDOCTOR_INTERVAL=often"}, "watch"); r.code != exitUsage || !strings.Contains(r.stderr, "often") {
		t.Errorf("bad TUNNELDOCTOR_INTERVAL: %s", r)
	}
	if r := run(t, nil, "watch", "--help"); r.code != 0 || !strings.Contains(r.stdout, "/readyz") {
		t.Errorf("watch --help: %s", r)
	}
}

func TestWatchListenInUseFails(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	r := run(t, nil, "watch", "--listen", strings.TrimPrefix(srv.URL, "http://"), "--no-events",
		"--no-probe", "--no-status-page", "--no-public-probe")
	if r.code != 3 || !strings.Contains(r.stderr, "address already in use") {
		t.Errorf("listen address in use: want exit 3 and the reason, got %s", r)
	}
}
