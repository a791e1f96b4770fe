package cfclient

import (
	"context"
	"errors"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// classify turns what the transport recorded and the library's error into a
// CallError. rec may be nil when no request was sent.
func classify(endpoint, subject string, rec *callRecord, err error) *cfapi.CallError {
	ce := &cfapi.CallError{Endpoint: endpoint, Subject: subject, Permission: cfapi.PermissionFor(endpoint)}
	if rec != nil {
		ce.Status, ce.Codes, ce.Attempts = rec.status, rec.codes, rec.attempts
		ce.Message = rec.message
	}
	switch {
	case errors.Is(err, errRateLimitWait):
		ce.Kind, ce.Message = cfapi.KindRateLimited, err.Error()
		return ce
	case errors.Is(err, errTooLarge):
		ce.Kind, ce.Message = cfapi.KindMalformed, err.Error()
		return ce
	}
	if ce.Status == 0 {
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			ce.Kind = cfapi.KindTimeout
		case errors.Is(err, context.Canceled):
			ce.Kind = cfapi.KindOther
		default:
			ce.Kind = cfapi.KindNetwork
		}
		ce.Message = oneLine(err)
		return ce
	}
	ce.Kind = kindOf(ce.Status, ce.Codes)
	if ce.Status < 400 {
		// A 2xx the library could not decode: the body is not the API's JSON.
		ce.Kind = cfapi.KindMalformed
		ce.Message = "unexpected response body: " + oneLine(err)
	}
	if ce.Message == "" {
		ce.Message = oneLine(err)
	}
	return ce
}

func kindOf(status int, codes []int) cfapi.ErrKind {
	for _, c := range codes {
		switch c {
		case 1000, 6003, 6111, 6103:
			return cfapi.KindAuth
		case 10000, 9109, 10002:
			if status == 401 && c != 9109 {
				return cfapi.KindAuth
			}
			return cfapi.KindPermission
		case 7003, 7000:
			return cfapi.KindNotFound
		}
	}
	switch {
	case status == 401:
		return cfapi.KindAuth
	case status == 403:
		return cfapi.KindPermission
	case status == 404:
		return cfapi.KindNotFound
	case status == 429:
		return cfapi.KindRateLimited
	case status >= 500:
		return cfapi.KindServer
	}
	return cfapi.KindOther
}

// oneLine shortens an error for evidence: first line, bounded length. The
// library's errors quote the URL and body, never the Authorization header.
func oneLine(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
