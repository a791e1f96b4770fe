package cfapi

import (
	"strings"
	"sync"
	"time"
)

// TTLs say how long each kind of fact is reused. The sidecar runs every 30 s
// and on Docker events; with these defaults a tunnel with 20 hostnames in 2
// zones costs about 260 API requests an hour, far below the API's 1,200 per
// 5 minutes. Tunnel state is the freshest because it changes the verdict.
type TTLs struct {
	Token       time.Duration // default 1 h
	Zones       time.Duration // default 10 min
	DNS         time.Duration // default 5 min
	Settings    time.Duration // default 10 min
	Tunnel      time.Duration // tunnel, connectors, configuration; default 1 min
	StatusPage  time.Duration // default 5 min
	PublicProbe time.Duration // default 1 min
	// Failure bounds how long a failed call is remembered (default 30 s),
	// so a broken token or endpoint is not hammered every run.
	Failure time.Duration
}

// WithDefaults returns t with every unset (zero or negative) TTL replaced
// by its default.
func (t TTLs) WithDefaults() TTLs {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.Token, time.Hour)
	def(&t.Zones, 10*time.Minute)
	def(&t.DNS, 5*time.Minute)
	def(&t.Settings, 10*time.Minute)
	def(&t.Tunnel, time.Minute)
	def(&t.StatusPage, 5*time.Minute)
	def(&t.PublicProbe, time.Minute)
	def(&t.Failure, 30*time.Second)
	return t
}

// Cache keeps facts across runs (the sidecar's watch loop shares one), and
// remembers a 429 so no call is made until its Retry-After has passed.
// It is safe for concurrent use. It only stores: the API client (package
// cfclient) decides what is kept, under which key and for how long.
type Cache struct {
	mu      sync.Mutex
	now     func() time.Time
	entries map[string]cacheEntry
	blocked time.Time
}

type cacheEntry struct {
	value   any
	err     *CallError
	expires time.Time
}

// NewCache returns an empty cache on the wall clock.
func NewCache() *Cache { return NewCacheAt(time.Now) }

// NewCacheAt returns an empty cache on the given clock (tests).
func NewCacheAt(now func() time.Time) *Cache {
	return &Cache{now: now, entries: map[string]cacheEntry{}}
}

// RateLimited records a 429: calls wait d from now (an existing longer
// wait is kept).
func (c *Cache) RateLimited(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if until := c.now().Add(d); until.After(c.blocked) {
		c.blocked = until
	}
}

// Unblock ends the wait after a 429 (a retry succeeded after all).
func (c *Cache) Unblock() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.blocked = time.Time{}
}

// BlockedUntil is when calls resume after a 429 (zero when not blocked).
func (c *Cache) BlockedUntil() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now().After(c.blocked) {
		return time.Time{}
	}
	return c.blocked
}

// Get returns the value or the failure stored under key; ok is false when
// there is none or it has expired.
func (c *Cache) Get(key string) (value any, err *CallError, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !c.now().Before(e.expires) {
		delete(c.entries, key)
		return nil, nil, false
	}
	return e.value, e.err, true
}

// Put stores a value, or a failure (err non-nil), under key for ttl.
func (c *Cache) Put(key string, value any, err *CallError, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = cacheEntry{value: value, err: err, expires: c.now().Add(ttl)}
	// Keep the map bounded: drop what has expired once it grows.
	if len(c.entries) > 4096 {
		now := c.now()
		for k, v := range c.entries {
			if !now.Before(v.expires) {
				delete(c.entries, k)
			}
		}
	}
}

// Forget drops every entry whose key starts with prefix.
func (c *Cache) Forget(prefix string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if strings.HasPrefix(k, prefix) {
			delete(c.entries, k)
		}
	}
}
