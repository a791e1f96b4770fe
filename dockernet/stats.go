package dockernet

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/moby/moby/api/types/container"
)

// maxStatsBody bounds a stats answer (a normal one is a few KiB).
const maxStatsBody = 1 << 20

// Memory is one memory sample of a container.
type Memory struct {
	// Usage is what `docker stats` shows: usage minus inactive file cache.
	Usage uint64 `json:"usage"`
	// Limit is the cgroup limit; without one Docker reports host RAM.
	Limit uint64 `json:"limit"`
}

// Fraction is Usage/Limit, 0 when the limit is unknown.
func (m Memory) Fraction() float64 {
	if m.Limit == 0 {
		return 0
	}
	return float64(m.Usage) / float64(m.Limit)
}

// ReadMemory reads one memory sample of a container through any Engine
// (dockerapi.Client.Memory is this over the live client).
func ReadMemory(ctx context.Context, eng Engine, id string) (Memory, error) {
	rc, err := eng.ContainerStats(ctx, id)
	if err != nil {
		return Memory{}, err
	}
	defer rc.Close()
	var s container.StatsResponse
	if err := json.NewDecoder(io.LimitReader(rc, maxStatsBody)).Decode(&s); err != nil {
		return Memory{}, fmt.Errorf("stats of container %s: %w", ShortID(id), err)
	}
	m := Memory{Usage: s.MemoryStats.Usage, Limit: s.MemoryStats.Limit}
	// cgroup v2 reports inactive_file, v1 total_inactive_file: page cache
	// the kernel reclaims before it OOM-kills.
	inactive := s.MemoryStats.Stats["inactive_file"]
	if v, ok := s.MemoryStats.Stats["total_inactive_file"]; ok {
		inactive = v
	}
	if inactive < m.Usage {
		m.Usage -= inactive
	}
	return m, nil
}
