package cfclient

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/cloudflare/cloudflare-go/v7/accounts"
	"github.com/cloudflare/cloudflare-go/v7/dns"
	"github.com/cloudflare/cloudflare-go/v7/zero_trust"
	"github.com/cloudflare/cloudflare-go/v7/zones"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Page sizes and limits: a listing never reads more than maxPages pages.
const (
	zonesPerPage = 50
	dnsPerPage   = 1000
	maxPages     = 10
)

// call runs one library call under its own deadline and turns any failure
// into a CallError.
func (c *Client) call(ctx context.Context, endpoint, subject string, fn func(context.Context) error) *cfapi.CallError {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.CallTimeout)
	defer cancel()
	ctx, rec := withRecord(ctx)
	if err := fn(ctx); err != nil {
		return classify(endpoint, subject, rec, err)
	}
	return nil
}

// verifyToken checks the token at /user/tokens/verify and, when that refuses
// it and the account is known, at the account-owned tokens' endpoint.
func (c *Client) verifyToken(ctx context.Context, account string) (*cfapi.TokenStatus, *cfapi.CallError) {
	var st *cfapi.TokenStatus
	uerr := c.call(ctx, cfapi.EndpointUserVerify, "", func(ctx context.Context) error {
		res, err := c.userTokens.Verify(ctx)
		if err == nil {
			st = &cfapi.TokenStatus{Owner: "user", ID: res.ID, Status: string(res.Status), ExpiresOn: res.ExpiresOn, NotBefore: res.NotBefore}
		}
		return err
	})
	if uerr == nil || uerr.Kind != cfapi.KindAuth || account == "" {
		return st, uerr
	}
	aerr := c.call(ctx, cfapi.EndpointAccountVerify, account, func(ctx context.Context) error {
		var p accounts.TokenVerifyParams
		p.AccountID.Value, p.AccountID.Present = account, true
		res, err := c.accountTokens.Verify(ctx, p)
		if err == nil {
			st = &cfapi.TokenStatus{Owner: "account", ID: res.ID, Status: string(res.Status), ExpiresOn: res.ExpiresOn, NotBefore: res.NotBefore}
		}
		return err
	})
	if aerr == nil {
		return st, nil
	}
	uerr.Message += "; as an account-owned token: " + aerr.Message
	return nil, uerr
}

// zoneListing is one zone listing; Truncated when maxPages did not reach
// its end (then a hostname without a zone proves nothing).
type zoneListing struct {
	Zones     []cfapi.Zone
	Truncated bool
}

// listZones lists the zones the token sees, in the account when known, or
// just the named ones. It pages until an empty or short page.
func (c *Client) listZones(ctx context.Context, account, name string) (zoneListing, *cfapi.CallError) {
	var out []cfapi.Zone
	for page := 1; page <= maxPages; page++ {
		var p zones.ZoneListParams
		if account != "" {
			var a zones.ZoneListParamsAccount
			a.ID.Value, a.ID.Present = account, true
			p.Account.Value, p.Account.Present = a, true
		}
		if name != "" {
			p.Name.Value, p.Name.Present = name, true
		}
		p.Page.Value, p.Page.Present = float64(page), true
		p.PerPage.Value, p.PerPage.Present = zonesPerPage, true
		var n int
		var perPage int64
		err := c.call(ctx, cfapi.EndpointZones, name, func(ctx context.Context) error {
			res, err := c.zones.List(ctx, p)
			if err != nil {
				return err
			}
			n, perPage = len(res.Result), res.ResultInfo.PerPage
			for _, z := range res.Result {
				out = append(out, cfapi.Zone{
					ID: z.ID, Name: cfapi.NormalizeHost(z.Name), Status: string(z.Status), Paused: z.Paused,
					Type: string(z.Type), AccountID: z.Account.ID, NameServers: z.NameServers,
				})
			}
			return nil
		})
		if err != nil {
			return zoneListing{Zones: out}, err
		}
		if lastPage(n, perPage, zonesPerPage) {
			return zoneListing{Zones: out}, nil
		}
	}
	return zoneListing{Zones: out, Truncated: true}, nil
}

// lastPage: an empty page always ends a listing; a page shorter than the
// page size the server says it used (or the one asked for) does too.
func lastPage(n int, served int64, asked int) bool {
	if n == 0 {
		return true
	}
	size := int(served)
	if size <= 0 {
		size = asked
	}
	return n < size
}

// listRecords reads the zone's A, AAAA and CNAME records and keeps those
// keep() wants. truncated is true when maxPages did not reach the end.
func (c *Client) listRecords(ctx context.Context, zone cfapi.Zone, keep func(cfapi.Record) bool) (recs []cfapi.Record, truncated bool, cerr *cfapi.CallError) {
	for page := 1; page <= maxPages; page++ {
		var p dns.RecordListParams
		p.ZoneID.Value, p.ZoneID.Present = zone.ID, true
		p.Page.Value, p.Page.Present = float64(page), true
		p.PerPage.Value, p.PerPage.Present = dnsPerPage, true
		var n int
		var perPage int64
		err := c.call(ctx, cfapi.EndpointDNSRecords, zone.Name, func(ctx context.Context) error {
			res, err := c.records.List(ctx, p)
			if err != nil {
				return err
			}
			n, perPage = len(res.Result), res.ResultInfo.PerPage
			for _, r := range res.Result {
				rec := cfapi.Record{ID: r.ID, Name: cfapi.NormalizeHost(r.Name), Type: string(r.Type), Content: r.Content, Proxied: r.Proxied}
				if (rec.Type == "A" || rec.Type == "AAAA" || rec.Type == "CNAME") && keep(rec) {
					recs = append(recs, rec)
				}
			}
			return nil
		})
		if err != nil {
			return recs, false, err
		}
		if lastPage(n, perPage, dnsPerPage) {
			return recs, false, nil
		}
	}
	return recs, true, nil
}

// zoneSetting reads one setting; the value is kept as text.
func (c *Client) zoneSetting(ctx context.Context, zone cfapi.Zone, id string) cfapi.Setting {
	var s cfapi.Setting
	err := c.call(ctx, cfapi.EndpointZoneSetting, zone.Name+" "+id, func(ctx context.Context) error {
		var p zones.SettingGetParams
		p.ZoneID.Value, p.ZoneID.Present = zone.ID, true
		res, err := c.settings.Get(ctx, id, p)
		if err != nil {
			return err
		}
		var raw struct {
			Value         json.RawMessage `json:"value"`
			Editable      bool            `json:"editable"`
			TimeRemaining float64         `json:"time_remaining"`
		}
		if err := json.Unmarshal([]byte(res.JSON.RawJSON()), &raw); err != nil {
			return fmt.Errorf("setting %s: %w", id, err)
		}
		s = cfapi.Setting{Value: settingText(raw.Value), Editable: raw.Editable, TimeRemaining: raw.TimeRemaining, Read: true}
		return nil
	})
	if err != nil {
		return cfapi.Setting{Err: err}
	}
	return s
}

func settingText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strings.TrimSpace(string(raw))
}

// tunnel reads one tunnel by id.
func (c *Client) tunnel(ctx context.Context, account, id string) (*cfapi.Tunnel, *cfapi.CallError) {
	var t *cfapi.Tunnel
	err := c.call(ctx, cfapi.EndpointTunnel, id, func(ctx context.Context) error {
		var p zero_trust.TunnelCloudflaredGetParams
		p.AccountID.Value, p.AccountID.Present = account, true
		res, err := c.tunnels.Get(ctx, id, p)
		if err != nil {
			return err
		}
		t = &cfapi.Tunnel{
			ID: res.ID, Name: res.Name, Status: string(res.Status), ConfigSrc: string(res.ConfigSrc),
			TunType: string(res.TunType), CreatedAt: res.CreatedAt,
			DeletedAt: res.DeletedAt, ConnsActiveAt: res.ConnsActiveAt, ConnsInactiveAt: res.ConnsInactiveAt,
		}
		return nil
	})
	return t, err
}

// connectors lists the tunnel's connectors and their edge connections.
func (c *Client) connectors(ctx context.Context, account, id string) ([]cfapi.Connector, *cfapi.CallError) {
	var out []cfapi.Connector
	err := c.call(ctx, cfapi.EndpointConnections, id, func(ctx context.Context) error {
		var p zero_trust.TunnelCloudflaredConnectionGetParams
		p.AccountID.Value, p.AccountID.Present = account, true
		res, err := c.connections.Get(ctx, id, p)
		if err != nil {
			return err
		}
		for _, cl := range res.Result {
			k := cfapi.Connector{ID: cl.ID, Version: cl.Version, Arch: cl.Arch, ConfigVersion: cl.ConfigVersion, RunAt: cl.RunAt}
			for _, cn := range cl.Conns {
				// is_pending_reconnect is in the API but not in v7's types.
				var extra struct {
					Pending bool `json:"is_pending_reconnect"`
				}
				_ = json.Unmarshal([]byte(cn.JSON.RawJSON()), &extra)
				k.Conns = append(k.Conns, cfapi.Connection{ColoName: cn.ColoName, OriginIP: cn.OriginIP, OpenedAt: cn.OpenedAt, IsPendingReconnect: extra.Pending})
			}
			out = append(out, k)
		}
		return nil
	})
	return out, err
}

// remoteConfig reads the tunnel's dashboard configuration.
func (c *Client) remoteConfig(ctx context.Context, account, id string) (*tunnelcfg.Config, *cfapi.CallError) {
	var cfg *tunnelcfg.Config
	err := c.call(ctx, cfapi.EndpointConfiguration, id, func(ctx context.Context) error {
		var p zero_trust.TunnelCloudflaredConfigurationGetParams
		p.AccountID.Value, p.AccountID.Present = account, true
		res, err := c.configurations.Get(ctx, id, p)
		if err != nil {
			return err
		}
		cfg, err = parseRemoteConfig([]byte(res.JSON.RawJSON()))
		return err
	})
	return cfg, err
}
