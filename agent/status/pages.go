package status

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// Bounds of the status page, so a tunnel with 10,000 rules serves a page of
// kilobytes, not 22 MB, and still names every broken path.
const (
	// PageRows is how many paths are drawn in full on one page. A tunnel
	// with at most this many paths gets one page, in rule order.
	PageRows = 100
	// maxCodesPerLine bounds the codes of a broken path listed on one
	// line (past the page's full rows).
	maxCodesPerLine = 4
)

// Pager says which part of a large tunnel's paths one page shows: every
// broken path first (the first ones in full, the rest one line each, on
// every page), then the healthy paths, PageRows at a time.
type Pager struct {
	Page, Pages  int // 1-based; Pages ≥ 1
	Total        int // every path
	Broken       int // paths with a warning or an error
	Healthy      int // paths with none
	From, To     int // the healthy paths shown, 1-based, inclusive; 0 when none
	Prev, Next   int // page numbers, 0 when there is none
	CompactCount int // broken paths listed on one line each
}

// CompactPath is a broken path listed on one line.
type CompactPath struct {
	Rule     int
	Hostname string
	Path     string
	Codes    string // the worst findings' codes, worst first
	Severity agent.Severity
}

// paginate splits the chains for page (1-based; out of range is clamped).
// With at most PageRows chains it returns them unchanged and no Pager.
func paginate(chains []Chain, page int) (full []Chain, compact []CompactPath, p *Pager) {
	if len(chains) <= PageRows {
		return chains, nil, nil
	}
	var broken, healthy []Chain
	for _, c := range chains {
		if len(c.Problems) > 0 {
			broken = append(broken, c)
		} else {
			healthy = append(healthy, c)
		}
	}
	p = &Pager{Total: len(chains), Broken: len(broken), Healthy: len(healthy)}
	// Broken paths: up to half a page in full, the rest one line each.
	fullBroken := min(len(broken), PageRows/2)
	full = append(full, broken[:fullBroken]...)
	for _, c := range broken[fullBroken:] {
		compact = append(compact, compactPath(c))
	}
	p.CompactCount = len(compact)
	per := PageRows - fullBroken
	p.Pages = max(1, (len(healthy)+per-1)/per)
	p.Page = min(max(page, 1), p.Pages)
	if len(healthy) > 0 {
		from := (p.Page - 1) * per
		to := min(from+per, len(healthy))
		full = append(full, healthy[from:to]...)
		p.From, p.To = from+1, to
	}
	if p.Page > 1 {
		p.Prev = p.Page - 1
	}
	if p.Page < p.Pages {
		p.Next = p.Page + 1
	}
	return full, compact, p
}

func compactPath(c Chain) CompactPath {
	cp := CompactPath{Rule: c.Rule, Hostname: c.Hostname, Path: c.Path, Severity: c.Problems[0].Severity}
	var codes []string
	seen := map[string]bool{}
	for _, f := range c.Problems {
		if !seen[f.Code] && len(codes) < maxCodesPerLine {
			seen[f.Code] = true
			codes = append(codes, f.Code)
		}
	}
	cp.Codes = strings.Join(codes, " ")
	return cp
}

// PageParam reads the ?page= parameter: 1 when absent or not a number.
func PageParam(q url.Values) int {
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}
