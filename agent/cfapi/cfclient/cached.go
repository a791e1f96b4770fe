package cfclient

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cached returns the fact under key, fetching it when absent or expired.
// Failures are remembered for the shorter failure TTL; while a 429 blocks
// the API, nothing is fetched and the call fails as rate limited.
func cached[T any](c *Client, key string, ttl time.Duration, endpoint, subject string, fetch func() (T, *cfapi.CallError)) (T, *cfapi.CallError) {
	key = fingerprint(c.cfg.Token) + "|" + key
	if value, err, ok := c.cache.Get(key); ok {
		c.cached.Add(1)
		v, _ := value.(T)
		return v, err
	}
	var zero T
	if until := c.cache.BlockedUntil(); !until.IsZero() {
		ce := classify(endpoint, subject, nil, errRateLimitWait)
		ce.Message += " (until " + until.UTC().Format(time.RFC3339) + ")"
		return zero, ce
	}
	v, err := fetch()
	if err != nil {
		if err.Kind == cfapi.KindAuth {
			// The token was refused: forget what it was verified for, so the
			// next run verifies it again instead of trusting the cache.
			c.cache.Forget(fingerprint(c.cfg.Token) + "|")
		}
		if err.Kind != cfapi.KindRateLimited {
			c.cache.Put(key, nil, err, min(ttl, c.cfg.TTL.Failure))
		}
		return v, err
	}
	c.cache.Put(key, v, nil, ttl)
	return v, nil
}

// fingerprint keys cached facts by token without keeping the token in keys
// that could be logged: a new token (a rotated Docker secret) starts afresh.
func fingerprint(t cfapi.Token) string {
	sum := sha256.Sum256([]byte(t.Reveal()))
	return hex.EncodeToString(sum[:6])
}
