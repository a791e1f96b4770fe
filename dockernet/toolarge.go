package dockernet

import (
	"errors"
	"fmt"
)

// TooLargeError is the error of a Docker API answer that exceeded its size
// bound (dockerapi bounds every answer, and each event of the event
// stream): tunneldoctor stopped reading it instead of holding it in
// memory. It is also the fact the collector records, so the check that
// judges it (AGT105) can name what was too large.
type TooLargeError struct {
	// What names the answer: "containers list", "container inspect",
	// "event", "engine info", ...
	What string `json:"what"`
	// Path is the request path, without the API version prefix.
	Path string `json:"path"`
	// Limit is the bound in bytes that was exceeded.
	Limit int64 `json:"limit"`
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("Docker API answer too large: %s exceeded %s (GET %s)", e.What, FormatBytes(e.Limit), e.Path)
}

// AsTooLarge finds a TooLargeError in err's chain.
func AsTooLarge(err error) (*TooLargeError, bool) {
	var tl *TooLargeError
	if errors.As(err, &tl) {
		return tl, true
	}
	return nil, false
}

// FormatBytes writes a byte count the way the limits are documented:
// "64 MiB", "512 KiB", "100 B".
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d B", n)
	}
}
