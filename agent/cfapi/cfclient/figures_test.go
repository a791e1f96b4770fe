package cfclient

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// twentyHostnames spreads 20 ingress hostnames over the fixtures' 2 zones.
func twentyHostnames() []string {
	var hs []string
	for i := 0; i < 10; i++ {
		hs = append(hs, fmt.Sprintf("svc%d.example.com", i), fmt.Sprintf("svc%d.example.net", i))
	}
	return hs
}

// sidecarHour simulates an hour of the sidecar (a run every 30 s, on a fake
// clock) against the fake API and returns the API requests of the first run,
// of the hour, and the most in any 5-minute window.
func sidecarHour(t testing.TB, f *fakeAPI) (first, hour, worst5min int) {
	now := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	cache := cfapi.NewCacheAt(func() time.Time { return now })
	req := testRequest()
	req.Hostnames = twentyHostnames()
	var perRun []int
	for run := 0; run < 120; run++ {
		c := New(Config{Token: testToken, BaseURL: f.BaseURL(), StatusPageURL: f.StatusPageURL(), Logger: zerolog.Nop()}, cache)
		facts := c.Collect(context.Background(), req)
		perRun = append(perRun, facts.Requests)
		now = now.Add(30 * time.Second)
	}
	for i, n := range perRun {
		hour += n
		window := 0
		for j := i; j < len(perRun) && j < i+10; j++ { // 10 runs = 5 minutes
			window += perRun[j]
		}
		worst5min = max(worst5min, window)
	}
	return perRun[0], hour, worst5min
}

// TestAPIBudget: a tunnel with 20 hostnames in 2 zones costs a small,
// bounded number of calls per run, and the sidecar stays far below the
// API's 1,200 requests per 5 minutes.
func TestAPIBudget(t *testing.T) {
	f := newFakeAPI(t)
	first, hour, worst := sidecarHour(t, f)
	// verify 1 + zones 1 + DNS 2 + settings 2x4 + tunnel 1 + connectors 1 + configuration 1.
	if first != 15 {
		t.Errorf("first run: %d API requests, want 15", first)
	}
	if worst > 120 || hour > 400 {
		t.Errorf("sidecar: %d requests in the worst 5 minutes, %d in an hour", worst, hour)
	}
	t.Logf("20 hostnames in 2 zones: %d requests on a cold run, %d per hour at one run per 30 s, at most %d per 5 minutes", first, hour, worst)
}

func BenchmarkAPICallsPerRun(b *testing.B) {
	f := newFakeAPI(b)
	var first, hour, worst int
	for b.Loop() {
		first, hour, worst = sidecarHour(b, f)
	}
	b.ReportMetric(float64(first), "calls/cold-run")
	b.ReportMetric(float64(hour), "calls/hour")
	b.ReportMetric(float64(worst), "calls/5min-max")
}
