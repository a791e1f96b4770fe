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

func (t TTLs) withDefaults() TTLs {
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
// It is safe for concurrent use.
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

func (c *Cache) rateLimited(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if until := c.now().Add(d); until.After(c.blocked) {
		c.blocked = until
	}
}

func (c *Cache) unblock() {
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

func (c *Cache) get(key string) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || !c.now().Before(e.expires) {
		delete(c.entries, key)
		return cacheEntry{}, false
	}
	return e, true
}

func (c *Cache) put(key string, e cacheEntry, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.expires = c.now().Add(ttl)
	c.entries[key] = e
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

func (c *Cache) forget(prefix string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if strings.HasPrefix(k, prefix) {
			delete(c.entries, k)
		}
	}
}

// cached returns the fact under key, fetching it when absent or expired.
// Failures are remembered for the shorter failure TTL; while a 429 blocks
// the API, nothing is fetched and the call fails as rate limited.
func cached[T any](c *Client, key string, ttl time.Duration, endpoint, subject string, fetch func() (T, *CallError)) (T, *CallError) {
	key = c.cfg.Token.fingerprint() + "|" + key
	if e, ok := c.cache.get(key); ok {
		c.cached.Add(1)
		v, _ := e.value.(T)
		return v, e.err
	}
	var zero T
	if until := c.cache.BlockedUntil(); !until.IsZero() {
		ce := classify(endpoint, subject, nil, errRateLimitWait)
		ce.Message += " (until " + until.UTC().Format(time.RFC3339) + ")"
		return zero, ce
	}
	v, err := fetch()
	if err != nil {
		if err.Kind == KindAuth {
			// The token was refused: forget what it was verified for, so the
			// next run verifies it again instead of trusting the cache.
			c.cache.forget(c.cfg.Token.fingerprint() + "|")
		}
		if err.Kind != KindRateLimited {
			c.cache.put(key, cacheEntry{err: err}, min(ttl, c.cfg.TTL.Failure))
		}
		return v, err
	}
	c.cache.put(key, cacheEntry{value: v}, ttl)
	return v, nil
}
