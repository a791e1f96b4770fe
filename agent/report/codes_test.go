package report

import (
	"bytes"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

func TestCodeTable(t *testing.T) {
	checks := []agent.Check{
		{Code: "PRB002", Hop: agent.HopProtocol, Severity: agent.Error, Title: "b", Explain: "x"},
		{Code: "AGT001", Hop: agent.HopTunnel, Severity: agent.Error, Title: "own", Explain: "x"},
		{Code: "PRB001", Hop: agent.HopProtocol, Severity: agent.Warn, Title: "a | pipe", Explain: "two\nlines"},
		{Code: "CF001", Hop: agent.HopEdge, Severity: agent.Info, Title: "edge", Explain: "x"},
	}
	var buf bytes.Buffer
	if err := CodeTable(&buf, checks); err != nil {
		t.Fatal(err)
	}
	want := "| Code | Hop | Severity | Title | What it means |\n" +
		"|---|---|---|---|---|\n" +
		"| `CF001` | edge | info | edge | x |\n" +
		"| `PRB001` | protocol | warn | a \\| pipe | two lines |\n" +
		"| `PRB002` | protocol | error | b | x |\n" +
		"| `AGT001` | tunnel | error | own | x |\n"
	if buf.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", buf.String(), want)
	}
	if checks[0].Code != "PRB002" {
		t.Error("CodeTable reordered the caller's slice")
	}
}

func TestReplaceCodeTable(t *testing.T) {
	doc := "# T\n\n" + CodesStart + "\nold\n" + CodesEnd + "\ntail\n"
	got, err := ReplaceCodeTable(doc, "| new |\n")
	if err != nil {
		t.Fatal(err)
	}
	if got != "# T\n\n"+CodesStart+"\n| new |\n"+CodesEnd+"\ntail\n" {
		t.Errorf("got %q", got)
	}
	if table, ok := CodeTableIn(got); !ok || table != "| new |\n" {
		t.Errorf("CodeTableIn = %q, %v", table, ok)
	}
	if _, err := ReplaceCodeTable("no markers", "x"); err == nil {
		t.Error("no error without markers")
	}
	if _, err := ReplaceCodeTable(CodesEnd+CodesStart, "x"); err == nil {
		t.Error("no error with markers out of order")
	}
}
