package cfclient

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// verdict decides who produced what the visitor sees. Only pages the edge
// generates carry cf-error-type, the structured JSON error or the branded
// HTML; cf-ray alone only proves the answer passed through Cloudflare.
func verdict(t cfapi.Trace, p cfapi.Page) (string, int) {
	if p.Status == 0 {
		return cfapi.VerdictUnreachable, 0
	}
	if code := edgeCode(p); code != 0 {
		return cfapi.VerdictCloudflareError, code
	}
	via := p.CFRay != "" || strings.EqualFold(p.Server, "cloudflare") || t.Cloudflare
	switch {
	case !via:
		return cfapi.VerdictNotCloudflare, statusCodeIfError(p.Status)
	case p.Status >= 500:
		return cfapi.VerdictOriginError, p.Status
	}
	return cfapi.VerdictOK, 0
}

func statusCodeIfError(s int) int {
	if s >= 500 {
		return s
	}
	return 0
}

// edgeCode returns the error code of an edge-generated page, 0 otherwise.
func edgeCode(p cfapi.Page) int {
	if p.JSONError != nil && p.JSONError.Cloudflare {
		if p.JSONError.ErrorCode != 0 {
			return p.JSONError.ErrorCode
		}
		return p.Status
	}
	if p.CFErrorType != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(p.CFErrorType)); err == nil {
			return n
		}
		return p.Status
	}
	if p.Branded {
		if p.BrandedFor != 0 {
			return p.BrandedFor
		}
		return p.Status
	}
	return 0
}

func parseEdgeError(body []byte) *cfapi.EdgeError {
	b := strings.TrimSpace(string(body))
	if !strings.HasPrefix(b, "{") {
		return nil
	}
	var e cfapi.EdgeError
	if json.Unmarshal([]byte(b), &e) != nil || !e.Cloudflare {
		return nil
	}
	return &e
}

var (
	cfErrorCodeRe = regexp.MustCompile(`cf-error-code">\s*(\d{3,4})\s*<`)
	cfTitleRe     = regexp.MustCompile(`<title>[^<]*\|\s*(\d{3,4})\s*:`)
	cfErrorNumRe  = regexp.MustCompile(`Error\s+(\d{3,4})`)
)

// brandedPage spots Cloudflare's HTML error page and the code it shows.
func brandedPage(html string) (bool, int) {
	if !strings.Contains(html, "cf-error-details") && !strings.Contains(html, "cf-wrapper") && !strings.Contains(html, "/cdn-cgi/styles/") {
		return false, 0
	}
	for _, re := range []*regexp.Regexp{cfErrorCodeRe, cfTitleRe, cfErrorNumRe} {
		if m := re.FindStringSubmatch(html); m != nil {
			n, _ := strconv.Atoi(m[1])
			return true, n
		}
	}
	return true, 0
}
