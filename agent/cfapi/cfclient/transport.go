package cfclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/cloudflare/cloudflare-go/v7/option"
	"github.com/rs/zerolog"
)

var (
	errTooLarge      = errors.New("response body exceeds tunneldoctor's size limit")
	errRateLimitWait = errors.New("not called: the API answered 429 and its Retry-After has not passed")
)

// callRecord is what the transport saw for one logical call (up to two
// attempts). It travels in the request context so each call gets its own.
type callRecord struct {
	attempts int
	status   int
	codes    []int
	message  string
	// retryAfter is the server's Retry-After on a 429, uncapped.
	retryAfter time.Duration
}

type recordKey struct{}

func withRecord(ctx context.Context) (context.Context, *callRecord) {
	rec := &callRecord{}
	return context.WithValue(ctx, recordKey{}, rec), rec
}

// transport is the library middleware: it owns retries (the library's are
// off), bounds bodies, counts requests and records each answer as data.
type transport struct {
	log           zerolog.Logger
	maxBody       int64
	maxRetryAfter time.Duration
	retryBackoff  time.Duration
	requests      *atomic.Int64
	// onRateLimit is told how long the API asked us to wait after a 429;
	// onRecovered that a retry after a 429 succeeded after all.
	onRateLimit func(time.Duration)
	onRecovered func()
}

func (t *transport) middleware() option.Middleware {
	return func(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		rec, _ := req.Context().Value(recordKey{}).(*callRecord)
		if rec == nil {
			rec = &callRecord{}
		}
		resp, err := t.attempt(req, next, rec)
		wait, retry := t.retryWait(resp, err, rec)
		if dl, ok := req.Context().Deadline(); ok && time.Now().Add(wait).After(dl) {
			retry = false
		}
		if !retry {
			return resp, err
		}
		if resp != nil {
			_ = resp.Body.Close()
		}
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-timer.C:
		}
		resp, err = t.attempt(req.Clone(req.Context()), next, rec)
		if err == nil && resp.StatusCode < 400 && rec.retryAfter > 0 && t.onRecovered != nil {
			t.onRecovered()
		}
		return resp, err
	}
}

// retryWait decides the single retry: connection errors, 429 and 5xx are
// retried once; a Retry-After above the cap (or past the call's deadline) is
// not waited for, the call fails as rate limited instead.
func (t *transport) retryWait(resp *http.Response, err error, rec *callRecord) (time.Duration, bool) {
	if rec.attempts >= 2 {
		return 0, false
	}
	switch {
	case err != nil:
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errTooLarge) {
			return 0, false
		}
		return t.retryBackoff, true
	case resp.StatusCode == http.StatusTooManyRequests:
		if d, ok := retryAfter(resp.Header); ok {
			if d > t.maxRetryAfter {
				return 0, false
			}
			return d, true
		}
		return t.retryBackoff, true
	case resp.StatusCode >= 500:
		return t.retryBackoff, true
	}
	return 0, false
}

func (t *transport) attempt(req *http.Request, next option.MiddlewareNext, rec *callRecord) (*http.Response, error) {
	rec.attempts++
	t.requests.Add(1)
	start := time.Now()
	resp, err := next(req)
	ev := t.log.Debug().Str("method", req.Method).Str("path", req.URL.Path).Int("attempt", rec.attempts).Dur("took", time.Since(start))
	if err != nil {
		ev.Str("error", oneLine(err)).Msg("cloudflare api call failed")
		return nil, err
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, t.maxBody+1))
	_ = resp.Body.Close()
	rec.status = resp.StatusCode
	if rerr != nil {
		ev.Int("status", resp.StatusCode).Str("error", oneLine(rerr)).Msg("cloudflare api body unreadable")
		return nil, fmt.Errorf("reading response body: %w", rerr)
	}
	if int64(len(body)) > t.maxBody {
		ev.Int("status", resp.StatusCode).Msg("cloudflare api body too large")
		return nil, fmt.Errorf("%w (%d bytes)", errTooLarge, t.maxBody)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	rec.codes, rec.message = envelopeErrors(body)
	if resp.StatusCode == http.StatusTooManyRequests {
		d, ok := retryAfter(resp.Header)
		if !ok {
			d = time.Minute
		}
		rec.retryAfter = d
		if t.onRateLimit != nil {
			t.onRateLimit(d)
		}
	}
	if rec.message == "" && resp.StatusCode >= 400 {
		rec.message = http.StatusText(resp.StatusCode)
	}
	ev.Int("status", resp.StatusCode).Int("bytes", len(body)).Msg("cloudflare api call")
	return resp, nil
}

// envelopeErrors reads the codes and messages of the envelope's errors[]
// (never messages[]: code 10000 there means "token valid"). Bare strings, as
// some endpoints send, are kept as messages.
func envelopeErrors(body []byte) ([]int, string) {
	var env struct {
		Errors []json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &env) != nil {
		return nil, ""
	}
	var codes []int
	var msgs []string
	for _, raw := range env.Errors {
		var e struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		}
		var s string
		switch {
		case json.Unmarshal(raw, &e) == nil:
			if e.Code != 0 {
				codes = append(codes, e.Code)
			}
			if e.Message != "" {
				msgs = append(msgs, e.Message)
			}
		case json.Unmarshal(raw, &s) == nil && s != "":
			msgs = append(msgs, s)
		}
	}
	msg := ""
	for i, m := range msgs {
		if i > 0 {
			msg += "; "
		}
		msg += m
	}
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return codes, msg
}

// retryAfter reads Retry-After (seconds or an HTTP date).
func retryAfter(h http.Header) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second)), true
	}
	if when, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(when)), true
	}
	return 0, false
}
