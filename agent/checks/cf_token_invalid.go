package checks

import (
	"fmt"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// tokenExpiryWarning is how early an expiring token is reported.
const tokenExpiryWarning = 7 * 24 * time.Hour

// cfTokenInvalid: the token is refused, expired, disabled, not yet valid,
// expiring soon, or its file cannot be read.
func cfTokenInvalid() agent.Check {
	c := agent.Check{
		Code:     "CF002",
		Title:    "Cloudflare API token refused, expired or unreadable",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "The API refused the token (HTTP 401/400 with code 1000, 6003 or 6111), its status is expired or " +
			"disabled, or the token file could not be read; every account check was skipped. An account-owned " +
			"token is verified at /accounts/{id}/tokens/verify, so it needs the account id.",
		Fix: "Create a new token with Zone Read, DNS Read, Zone Settings Read and Cloudflare Tunnel Read and put it in " +
			"CLOUDFLARE_API_TOKEN (or the file CLOUDFLARE_API_TOKEN_FILE names); check it with " +
			"curl -H \"Authorization: Bearer $CLOUDFLARE_API_TOKEN\" https://api.cloudflare.com/client/v4/user/tokens/verify",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		var out []agent.Finding
		add := func(sev agent.Severity, msg string, ev map[string]string) {
			f := c.Finding(sev, msg)
			f.Fix, f.Evidence = c.Fix, ev
			out = append(out, f)
		}
		if s.Edge.TokenSourceError != "" {
			add(agent.Error, "The Cloudflare API token could not be read: "+s.Edge.TokenSourceError+"; account checks were skipped.",
				map[string]string{"error": s.Edge.TokenSourceError})
			return out
		}
		f := cfAPI(s)
		if f == nil {
			return nil
		}
		if e := f.TokenErr; e != nil && e.Kind == cfapi.KindAuth {
			msg := fmt.Sprintf("The Cloudflare API refused the token (%s); account checks were skipped.", e.Message)
			if f.AccountID == "" {
				msg += " If it is an account-owned token, tunneldoctor also needs the account id (--account-id) to verify it."
			}
			add(agent.Error, msg, e.Evidence())
			return out
		}
		// A token revoked since it was verified (the sidecar caches the
		// verification) shows as auth errors on the other endpoints.
		for _, e := range cfCallErrors(f) {
			if e.Kind == cfapi.KindAuth {
				add(agent.Error, fmt.Sprintf("The Cloudflare API refused the token at %s (%s): it was revoked or changed since it was verified.", e.Endpoint, e.Message), e.Evidence())
				return out
			}
		}
		t := f.Token
		if t == nil {
			return nil
		}
		ev := map[string]string{"token_id": t.ID, "status": t.Status, "owner": t.Owner}
		if !t.ExpiresOn.IsZero() {
			ev["expires_on"] = t.ExpiresOn.UTC().Format(time.RFC3339)
		}
		now := s.Taken
		switch {
		case t.Status == "expired" || (!t.ExpiresOn.IsZero() && !now.IsZero() && t.ExpiresOn.Before(now)):
			add(agent.Error, "The Cloudflare API token "+t.ID+" has expired; account checks were skipped.", ev)
		case t.Status == "disabled":
			add(agent.Error, "The Cloudflare API token "+t.ID+" is disabled; account checks were skipped.", ev)
		case !t.NotBefore.IsZero() && !now.IsZero() && t.NotBefore.After(now):
			ev["not_before"] = t.NotBefore.UTC().Format(time.RFC3339)
			add(agent.Error, "The Cloudflare API token "+t.ID+" is not valid before "+ev["not_before"]+".", ev)
		case !t.ExpiresOn.IsZero() && !now.IsZero() && t.ExpiresOn.Sub(now) < tokenExpiryWarning:
			days := int(t.ExpiresOn.Sub(now).Hours() / 24)
			add(agent.Warn, fmt.Sprintf("The Cloudflare API token %s expires in %d day(s), on %s.", t.ID, days, ev["expires_on"]), ev)
		}
		return out
	}
	return c
}
