package cfclient

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

const maxStatusPageBody = 1 << 20

// unresolvedIncidents reads the status page's unresolved incidents.
func (c *Client) unresolvedIncidents(ctx context.Context) ([]cfapi.Incident, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.CallTimeout)
	defer cancel()
	url := c.cfg.StatusPageURL + "/api/v2/incidents/unresolved.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("status page: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("status page: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxStatusPageBody+1))
	if err != nil {
		return nil, fmt.Errorf("status page: reading body: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status page: HTTP %d", resp.StatusCode)
	}
	if len(body) > maxStatusPageBody {
		return nil, fmt.Errorf("status page: body larger than %d bytes", maxStatusPageBody)
	}
	var page struct {
		Incidents []struct {
			Name       string    `json:"name"`
			Status     string    `json:"status"`
			Impact     string    `json:"impact"`
			Shortlink  string    `json:"shortlink"`
			CreatedAt  time.Time `json:"created_at"`
			Components []struct {
				Name string `json:"name"`
			} `json:"components"`
		} `json:"incidents"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, fmt.Errorf("status page: %w", err)
	}
	out := make([]cfapi.Incident, 0, len(page.Incidents))
	for _, in := range page.Incidents {
		inc := cfapi.Incident{Name: in.Name, Status: in.Status, Impact: in.Impact, Shortlink: in.Shortlink, CreatedAt: in.CreatedAt}
		for _, comp := range in.Components {
			inc.Components = append(inc.Components, comp.Name)
		}
		out = append(out, inc)
	}
	return out, nil
}
