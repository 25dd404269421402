package archive

import (
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

// TestSourceText: a source's text comes with its lines (a paragraph break
// kept as Blank) and its quotes as byte offsets in the normalized text,
// which hold the quote even after multi-byte Japanese text.
func TestSourceText(t *testing.T) {
	a := openFixture(t)
	ja := "東京都は４月１日に新しい会場を開設した。\n\n会場の名前は「臨海ホール」である。\n定員は５００人。\n"
	if _, err := a.AddSource("archivist", []byte(ja), sources.Meta{ID: "tokyo", Lang: "ja"}); err != nil {
		t.Fatal(err)
	}
	claims := `predicates:
  - {name: name, kind: text}
  - {name: seats, kind: text}
claims:
  - {id: t-name, source: tokyo, subject: 会場, predicate: name, value: 臨海ホール, quote: 会場の名前は「臨海ホール」}
  - {id: t-seats, source: tokyo, subject: 会場, predicate: seats, value: "500", quote: 定員は500人}
  - {id: t-seats-again, source: tokyo, subject: 会場, predicate: seats, value: "500人", quote: 定員は500人}
`
	if _, err := a.ImportClaims("archivist", []ClaimsFile{{Name: "ja.yaml", Data: []byte(claims)}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Retract("archivist", "t-seats-again", "a duplicate"); err != nil {
		t.Fatal(err)
	}
	st, err := a.SourceText("tokyo")
	if err != nil {
		t.Fatal(err)
	}
	if st.Text != "東京都は4月1日に新しい会場を開設した。 会場の名前は「臨海ホール」である。 定員は500人。" {
		t.Errorf("text: got %q", st.Text)
	}
	var lines []string
	var blanks []bool
	for _, l := range st.Lines {
		lines = append(lines, st.Text[l.Start:l.End])
		blanks = append(blanks, l.Blank)
	}
	if len(lines) != 3 || lines[0] != "東京都は4月1日に新しい会場を開設した。" || lines[1] != "会場の名前は「臨海ホール」である。" || lines[2] != "定員は500人。" ||
		blanks[0] || !blanks[1] || blanks[2] {
		t.Errorf("lines: got %q, blank before %v; want three, a paragraph break before the second", lines, blanks)
	}
	want := []struct {
		claim  events.ClaimID
		quote  string
		status ClaimStatus
	}{{"t-name", "会場の名前は「臨海ホール」", ClaimStanding}, {"t-seats", "定員は500人", ClaimStanding}, {"t-seats-again", "定員は500人", ClaimRetracted}}
	if len(st.Quotes) != len(want) {
		t.Fatalf("quotes: got %+v, want %d", st.Quotes, len(want))
	}
	for i, w := range want {
		q := st.Quotes[i]
		if q.Claim != w.claim || st.Text[q.Start:q.End] != w.quote || q.Status != w.status {
			t.Errorf("quote %d: got %s %q %s, want %s %q %s", i, q.Claim, st.Text[q.Start:q.End], q.Status, w.claim, w.quote, w.status)
		}
	}

	// A source with quotes of the fixture: one line, every quote found.
	alpha, err := a.SourceText("alpha")
	if err != nil {
		t.Fatal(err)
	}
	if len(alpha.Lines) != 1 || len(alpha.Quotes) != 5 || alpha.Text[alpha.Quotes[0].Start:alpha.Quotes[0].End] != "set up in April 2023" {
		t.Errorf("alpha: got %d lines, quotes %+v", len(alpha.Lines), alpha.Quotes)
	}
	if _, err := a.SourceText("nope"); ErrorCode(err) != NotFound {
		t.Errorf("unknown source: got %v, want NotFound", err)
	}
}
