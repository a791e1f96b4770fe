package probe

import (
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"time"
)

// tracer records the phases of one probe from httptrace callbacks. Happy
// eyeballs dials in parallel, so every callback takes the lock.
type tracer struct {
	mu        sync.Mutex
	phase     Phase
	dnsStart  time.Time
	dns       *DNSPhase
	connStart map[string]time.Time
	firstConn time.Time
	connect   *ConnectPhase
	tlsStart  time.Time
	tls       *TLSPhase
	wrote     time.Time
	firstByte time.Time
}

func newTracer() *tracer { return &tracer{connStart: map[string]time.Time{}} }

func (tr *tracer) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		DNSStart: func(i httptrace.DNSStartInfo) {
			tr.mu.Lock()
			defer tr.mu.Unlock()
			tr.phase, tr.dnsStart = PhaseDNS, time.Now()
			tr.dns = &DNSPhase{Host: i.Host}
		},
		DNSDone: func(i httptrace.DNSDoneInfo) {
			tr.mu.Lock()
			defer tr.mu.Unlock()
			if tr.dns == nil {
				tr.dns = &DNSPhase{}
			}
			tr.dns.Duration = time.Since(tr.dnsStart)
			for _, a := range i.Addrs {
				tr.dns.Addresses = append(tr.dns.Addresses, a.String())
			}
			if i.Err != nil {
				tr.dns.Error = i.Err.Error()
			}
		},
		ConnectStart: func(_, addr string) {
			tr.mu.Lock()
			defer tr.mu.Unlock()
			now := time.Now()
			tr.phase = PhaseConnect
			if tr.connect == nil {
				tr.connect, tr.firstConn = &ConnectPhase{}, now
			}
			tr.connStart[addr] = now
		},
		ConnectDone: func(_, addr string, err error) {
			tr.mu.Lock()
			defer tr.mu.Unlock()
			if tr.connect == nil {
				return
			}
			a := DialAttempt{Address: addr, Duration: time.Since(tr.connStart[addr])}
			if err != nil {
				a.Error = err.Error()
			} else if tr.connect.Address == "" {
				tr.connect.Address = addr
			}
			tr.connect.Attempts = append(tr.connect.Attempts, a)
			tr.connect.Duration = time.Since(tr.firstConn)
		},
		TLSHandshakeStart: func() {
			tr.mu.Lock()
			defer tr.mu.Unlock()
			tr.phase, tr.tlsStart = PhaseTLS, time.Now()
		},
		TLSHandshakeDone: func(cs tls.ConnectionState, err error) {
			tr.mu.Lock()
			defer tr.mu.Unlock()
			tr.tls.Duration = time.Since(tr.tlsStart)
			if err == nil {
				tr.tls.Done = true
				tr.tls.Version = tls.VersionName(cs.Version)
				tr.tls.ALPN = cs.NegotiatedProtocol
			}
		},
		WroteRequest: func(httptrace.WroteRequestInfo) {
			tr.mu.Lock()
			defer tr.mu.Unlock()
			tr.phase, tr.wrote = PhaseResponse, time.Now()
		},
		GotFirstResponseByte: func() {
			tr.mu.Lock()
			defer tr.mu.Unlock()
			tr.firstByte = time.Now()
		},
	}
}

// setPhase moves the recorded phase (for steps httptrace does not see).
func (tr *tracer) setPhase(p Phase) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.phase = p
}

func (tr *tracer) currentPhase() Phase {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.phase
}

// elapsedIn is how long the current phase has run.
func (tr *tracer) elapsedIn(p Phase) time.Duration {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	switch p {
	case PhaseConnect:
		if !tr.firstConn.IsZero() {
			return time.Since(tr.firstConn)
		}
	case PhaseTLS:
		if !tr.tlsStart.IsZero() {
			return time.Since(tr.tlsStart)
		}
	}
	return 0
}
