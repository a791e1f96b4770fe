package status

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/agent/watch"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// Handler serves /healthz, /readyz, /metrics and the status page at / from
// the store. refresh is the page's self-refresh period in seconds.
func Handler(store *Store, refresh int) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		// Alive: the process answers. Readiness is /readyz's job, except
		// that a sidecar stranded in cloudflared's old network namespace
		// is not healthy: only re-creating it helps (AGT104).
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if why := Stranded(store.View().Latest); why != "" {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, redact.Terminal(string(store.Redact([]byte(why)))))
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		rd := Ready(store.View().Latest)
		code := http.StatusOK
		if !rd.Ready {
			code = http.StatusServiceUnavailable
		}
		writeJSON(w, code, rd, store)
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		var buf bytes.Buffer
		if err := WriteMetrics(&buf, store.View()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", MetricsContentType)
		_, _ = w.Write(store.Redact(buf.Bytes()))
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		if err := RenderPageAt(&buf, store.View(), refresh, PageParam(r.URL.Query())); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		// The page loads nothing from anywhere, and runs no script.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		_, _ = w.Write(store.Redact(buf.Bytes()))
	})
	return mux
}

// writeJSON writes v as indented JSON through the store's JSON redaction
// (which also writes bidi overrides and C1 controls as \u escapes; Go's
// encoder leaves them raw).
func writeJSON(w http.ResponseWriter, code int, v any, store *Store) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(append(store.RedactJSON(b), '\n'))
}

// Serve listens on addr and serves h until ctx ends, then shuts down
// gracefully. It returns once the listener is closed; a listen error
// (address in use) is returned at once.
func Serve(ctx context.Context, addr string, h http.Handler, diag zerolog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ServeListener(ctx, ln, h, diag)
}

// ServeListener is Serve on an existing listener (tests use port 0).
func ServeListener(ctx context.Context, ln net.Listener, h http.Handler, diag zerolog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	diag.Info().Str("listen", ln.Addr().String()).Msg("serving /healthz /readyz /metrics and the status page")
	select {
	case err := <-done:
		if errors.Is(err, http.ErrServerClosed) || ctx.Err() != nil {
			return nil // a stop, not a failure
		}
		return fmt.Errorf("http server on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("http server shutdown: %w", err)
	}
	return nil
}

// CodeStranded is the finding of a sidecar stranded in cloudflared's old
// network namespace: /healthz fails while it is open.
const CodeStranded = "AGT104"

// Stranded returns the open stranded-sidecar finding's message and fix, ""
// when there is none.
func Stranded(r *watch.Result) string {
	if r == nil {
		return ""
	}
	for _, f := range r.Open {
		if f.Code == CodeStranded {
			return f.Code + ": " + f.Message + "\n" + f.Fix
		}
	}
	return ""
}
