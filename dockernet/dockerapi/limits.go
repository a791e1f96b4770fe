package dockerapi

import (
	"strings"
	"time"
)

// Limits bound the size of each Docker API answer, in bytes. An answer
// past its bound fails with a *dockernet.TooLargeError instead of being
// held in memory (a broken or hostile daemon, or a proxy that never ends a
// body, once took `check` to 909 MB and `watch` to 7.4 GB). The moby
// client decodes a whole JSON answer before using it, and keeps a second
// copy of an inspect answer, so the memory one answer can cost is about
// two to three times its bound.
type Limits struct {
	// ContainerList bounds GET /containers/json (all containers). A
	// container's summary is about 1-2 KiB (compose labels, ports,
	// networks), so the default, 16 MiB, holds 8,000 or more containers.
	// (32 MiB took `check` past 100 MB against an endless list: the JSON
	// decoder's buffer doubles as it fills.)
	ContainerList int64
	// Inspect bounds GET /containers/{id}/json and /networks/{id}. A real
	// inspect is 5-100 KiB; environment and arguments together are capped
	// by the kernel at about 2 MiB. Default 4 MiB. Up to 8 inspects run at
	// once (dockernet's inspect workers).
	Inspect int64
	// NetworkList bounds GET /networks (members are not listed). Default
	// 16 MiB, thousands of networks.
	NetworkList int64
	// Logs bounds GET /containers/{id}/logs. dockernet.ReadLogs reads at
	// most 16 MiB of a log stream and keeps far less; the default, 32 MiB,
	// only stops a reader that would not stop.
	Logs int64
	// Stats bounds GET /containers/{id}/stats (one sample, about 5 KiB).
	// Default 1 MiB.
	Stats int64
	// Event bounds each event of the GET /events stream (one JSON object;
	// its attributes carry the container's labels). The stream itself has
	// no end, so the bound is per event: it starts again after each
	// complete JSON value. Default 4 MiB, like an inspect.
	Event int64
	// Other bounds everything else: /_ping, /version, /info. Default 1 MiB.
	Other int64
}

// DefaultLimits are generous for real hosts (thousands of containers) and
// keep one run against a hostile daemon under about 100 MB.
func DefaultLimits() Limits {
	return Limits{
		ContainerList: 16 << 20,
		Inspect:       4 << 20,
		NetworkList:   16 << 20,
		Logs:          32 << 20,
		Stats:         1 << 20,
		Event:         4 << 20,
		Other:         1 << 20,
	}
}

// EventTooLargeMemory is how long an oversized event stays a fact of every
// run after it was seen: events arrive between runs, so a run could not
// otherwise tell that the stream lost one.
const EventTooLargeMemory = 15 * time.Minute

// answerKind names the answer to a request path and returns its bound;
// stream is true for the event stream, bounded per event.
func (l Limits) answerKind(path string) (what, bare string, limit int64, stream bool) {
	bare = stripVersion(path)
	parts := strings.Split(strings.Trim(bare, "/"), "/")
	switch {
	case bare == "/containers/json":
		return "containers list", bare, l.ContainerList, false
	case bare == "/networks":
		return "networks list", bare, l.NetworkList, false
	case bare == "/events":
		return "event", bare, l.Event, true
	case len(parts) == 3 && parts[0] == "containers" && parts[2] == "json":
		return "container inspect", bare, l.Inspect, false
	case len(parts) == 3 && parts[0] == "containers" && parts[2] == "logs":
		return "container logs", bare, l.Logs, false
	case len(parts) == 3 && parts[0] == "containers" && parts[2] == "stats":
		return "container stats", bare, l.Stats, false
	case len(parts) == 2 && parts[0] == "networks":
		return "network inspect", bare, l.Inspect, false
	case bare == "/info":
		return "engine info", bare, l.Other, false
	case bare == "/version":
		return "engine version", bare, l.Other, false
	case bare == "/_ping":
		return "ping", bare, l.Other, false
	}
	return "answer to " + bare, bare, l.Other, false
}

// stripVersion drops the /v1.NN prefix of an API path.
func stripVersion(path string) string {
	rest, ok := strings.CutPrefix(path, "/v")
	if !ok {
		return path
	}
	i := strings.IndexByte(rest, '/')
	if i <= 0 || strings.Trim(rest[:i], "0123456789.") != "" {
		return path
	}
	return rest[i:]
}
