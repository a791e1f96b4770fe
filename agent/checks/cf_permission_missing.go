package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfPermissionMissing: the token is valid but an endpoint answered 403
// (codes 10000, 9109, 10002). One finding per missing permission.
func cfPermissionMissing() agent.Check {
	c := agent.Check{
		Code:     "CF003",
		Title:    "API token lacks a permission: some checks skipped",
		Hop:      agent.HopEdge,
		Severity: agent.Warn,
		Explain: "The token is valid, but an endpoint answered 403 (code 10000 \"Authentication error\" or 9109 " +
			"\"Unauthorized to access requested resource\"): the token lacks that permission or does not include " +
			"that zone or account. The checks that need those facts were skipped, not failed.",
		Fix:   "Edit the token (dash.cloudflare.com > My Profile > API Tokens > Edit) and add the permission named in the finding, for the tunnel's account and zones.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		byPerm := map[string][]*cfapi.CallError{}
		for _, e := range cfCallErrors(cfAPI(s)) {
			if e.Kind == cfapi.KindPermission && e.Permission != "" {
				byPerm[e.Permission] = append(byPerm[e.Permission], e)
			}
		}
		var out []agent.Finding
		for _, perm := range cfSortedKeys(byPerm) {
			errs := byPerm[perm]
			var endpoints, subjects, codes []string
			for _, e := range errs {
				endpoints = cfAppendNew(endpoints, e.Endpoint)
				if e.Subject != "" {
					subjects = cfAppendNew(subjects, e.Subject)
				}
				codes = cfAppendNew(codes, cfChecksFor(e.Endpoint)...)
			}
			sort.Strings(codes)
			msg := fmt.Sprintf("The API token lacks %q (HTTP %d from %s); skipped %s.",
				perm, errs[0].Status, strings.Join(endpoints, ", "), strings.Join(codes, ", "))
			f := c.Finding(agent.Warn, msg)
			f.Fix = fmt.Sprintf("Add the permission %q to the token (dash.cloudflare.com > My Profile > API Tokens > Edit), "+
				"with the tunnel's account and zones in its resources.", perm)
			f.Evidence = errs[0].Evidence()
			f.Evidence[agent.EvidenceSubject] = perm
			f.Evidence["skipped_checks"] = strings.Join(codes, ",")
			if len(subjects) > 0 {
				f.Evidence["refused_for"] = strings.Join(subjects, ", ")
			}
			out = append(out, f)
		}
		return out
	}
	return c
}

// cfAppendNew appends the values not already in xs.
func cfAppendNew(xs []string, vs ...string) []string {
	for _, v := range vs {
		found := false
		for _, x := range xs {
			if x == v {
				found = true
				break
			}
		}
		if !found {
			xs = append(xs, v)
		}
	}
	return xs
}
