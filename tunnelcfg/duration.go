package tunnelcfg

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// UnmarshalYAML reads a Go duration string ("30s", "1m30s") as cloudflared
// does: an integer (`connectTimeout: 5`) is a type error, not seconds.
func (d *Duration) UnmarshalYAML(value *yaml.Node) error {
	return value.Decode(&d.Duration)
}

// MarshalYAML writes the duration the way YAML reads it back ("30s").
func (d Duration) MarshalYAML() (any, error) { return d.Duration.String(), nil }

// UnmarshalJSON reads integer seconds, the unit of cloudflared's remote
// configuration and /config. cloudflared itself writes float seconds
// (Duration.Seconds()), so fractions are accepted too; a Go duration string is
// tolerated because hand-written JSON sometimes carries one.
func (d *Duration) UnmarshalJSON(data []byte) error {
	text := strings.TrimSpace(string(data))
	if text == "null" {
		return nil
	}
	if strings.HasPrefix(text, `"`) {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration: %w", err)
		}
		d.Duration = v
		return nil
	}
	if secs, err := strconv.ParseInt(text, 10, 64); err == nil {
		if secs > math.MaxInt64/int64(time.Second) || secs < math.MinInt64/int64(time.Second) {
			return fmt.Errorf("duration %s seconds is out of range", text)
		}
		d.Duration = time.Duration(secs) * time.Second
		return nil
	}
	secs, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(secs) || math.IsInf(secs, 0) || math.Abs(secs) > float64(math.MaxInt64)/float64(time.Second) {
		return fmt.Errorf("duration must be a number of seconds, got %s", text)
	}
	d.Duration = time.Duration(secs * float64(time.Second))
	return nil
}

// MarshalJSON writes seconds: an integer when whole, as cloudflared reads it.
func (d Duration) MarshalJSON() ([]byte, error) {
	if d.Duration%time.Second == 0 {
		return []byte(strconv.FormatInt(int64(d.Duration/time.Second), 10)), nil
	}
	return []byte(strconv.FormatFloat(d.Seconds(), 'f', -1, 64)), nil
}

// String is the Go duration text ("30s").
func (d Duration) String() string { return d.Duration.String() }
