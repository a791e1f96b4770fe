package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingAccessTeam: access protection has audience tags but no team name.
func ingAccessTeam() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING013",
		Title:    "Access protection has audience tags but no team name",
		Severity: agent.Error,
		Explain:  "With `access.required: true` and `audTag` set, cloudflared needs `teamName` to fetch the Access signing keys, and refuses the configuration without it (\"access.TeamName cannot be blank when access.audTags are present\").",
		Fix:      "Add `teamName: <your team>` (the part before .cloudflareaccess.com) under originRequest.access.",
	}, tunnelcfg.KindAccessTeamNameMissing)
}
