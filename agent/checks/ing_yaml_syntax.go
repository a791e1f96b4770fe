package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingYAMLSyntax: the config file is not valid YAML.
func ingYAMLSyntax() problemCheck {
	return newProblemCheck(agent.Check{
		Code:     "ING001",
		Title:    "The config file is not valid YAML",
		Severity: agent.Error,
		Explain:  "cloudflared reads its config file with yaml.v3; a syntax error (bad indentation, a tab, an unclosed quote or bracket) or a key given twice in one mapping makes it fail with \"error parsing YAML in config file\" and exit before connecting.",
		Fix:      "Fix the YAML at the line named (indent with spaces, put a space after each colon, quote values containing ':' '*' or '#'), then run `tunneldoctor ingress validate`.",
	}, tunnelcfg.KindYAMLSyntax, tunnelcfg.KindDuplicateKey)
}
