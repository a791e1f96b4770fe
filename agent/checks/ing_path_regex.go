package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingPathRegex: a rule's path is not a valid regular expression.
func ingPathRegex() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING009",
		Title:    "A rule's path is not a valid regular expression",
		Severity: agent.Error,
		Explain:  "`path` is a Go (RE2) regular expression matched anywhere in the URL path; a glob such as `*/api` or an unbalanced bracket makes cloudflared refuse the configuration (\"Rule #N has an invalid regex\").",
		Fix:      "Write a regex: `^/api/` instead of `/api/*`; escape literal `.` `*` `?`.",
	}, tunnelcfg.KindInvalidPathRegex)
}
