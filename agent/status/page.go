package status

import (
	"bytes"
	_ "embed"
	"html/template"
	"io"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/watch"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

//go:embed page.html
var pageSource string

// pageTemplate is parsed once; templates are safe for concurrent use.
var pageTemplate = template.Must(template.New("status").Parse(pageSource))

// pageData is what page.html renders.
type pageData struct {
	Refresh   int
	Started   time.Time
	Latest    *watch.Result
	Ready     Readiness
	Tunnel    agent.TunnelInfo
	Connected string
	Took      string
	Chains    []Chain
	Compact   []CompactPath // broken paths past the page's full rows
	Pager     *Pager        // nil: every path is on this one page
	Skipped   []agent.Finding
}

// RenderPage writes the status page of a view. refresh is the page's
// self-refresh period in seconds.
func RenderPage(w io.Writer, v View, refresh int) error { return RenderPageAt(w, v, refresh, 1) }

// RenderPageAt writes one page (1-based, see Pager) of the status page.
// html/template escapes markup, not control characters: a hostname or a
// quoted log line carrying ESC, BEL, CR or a bidi override is shown as
// the text report shows it (\x1b, \u202e), never passed to the browser
// (or to a terminal reading the page with curl) raw.
func RenderPageAt(w io.Writer, v View, refresh, page int) error {
	var buf bytes.Buffer
	if err := renderPageAt(&buf, v, refresh, page); err != nil {
		return err
	}
	_, err := io.WriteString(w, redact.Terminal(buf.String()))
	return err
}

func renderPageAt(w io.Writer, v View, refresh, page int) error {
	d := pageData{Refresh: max(refresh, 1), Started: v.Started, Latest: v.Latest}
	if r := v.Latest; r != nil {
		d.Ready = Ready(r)
		d.Took = r.Duration.Round(time.Millisecond).String()
		if r.Snapshot != nil {
			d.Tunnel = r.Snapshot.Tunnel
		}
		switch c := d.Ready.Connected; {
		case c == nil:
			d.Connected = "connection unknown"
		case *c:
			d.Connected = "connected"
		default:
			d.Connected = "NOT connected"
		}
		d.Chains, d.Compact, d.Pager = paginate(Chains(r), page)
		for _, f := range r.Findings {
			if f.Severity == agent.Skipped {
				d.Skipped = append(d.Skipped, f)
			}
		}
	}
	return pageTemplate.Execute(w, d)
}
