package dockernet

import "time"

// Event is one Docker event that can change a tunnel's health: a container
// died, started, ran out of memory, changed health, or a network gained or
// lost a container.
type Event struct {
	Time   time.Time
	Type   string // container | network
	Action string // die, start, oom, "health_status: unhealthy", connect, ...
	ID     string // the container or network ID
	Name   string // the container or network name, when Docker says it
	// Container is the container ID of a network connect/disconnect.
	Container string
	// Service is a container's compose service label, "" outside compose.
	Service string
}

// WatchedActions are the event actions that make the sidecar re-check.
// health_status matches every "health_status: ..." action (the daemon
// filters by prefix).
func WatchedActions() []string {
	return []string{"die", "start", "oom", "health_status", "pause", "unpause", "connect", "disconnect"}
}
