package sources

import (
	"strings"
	"testing"
)

// TestLines: the lines of a document's text, mapped into its normalized
// text, join up to it with single spaces; blank lines (a paragraph
// break, however many) mark the line after them.
func TestLines(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		want      []string // lines, "" before one after a blank line
	}{
		{"plain", "One line.\nTwo  lines\ttoo.\n\n\n Three,\u00a0after a gap.\n", []string{"One line.", "Two lines too.", "", "Three, after a gap."}},
		{"blank-looking lines", "a\n \u200b \n\u3000\nb", []string{"a", "", "b"}},
		{"Japanese full width", "会場は４月１日に\r\n開設された。\r\n\r\n定員は５００人。", []string{"会場は4月1日に", "開設された。", "", "定員は500人。"}},
		{"HTML", "<html><body><h1>서울</h1><p>첫째  문단.<br>둘째 줄.</p><div>셋째</div></body></html>", []string{"서울", "", "첫째 문단.", "둘째 줄.", "", "셋째"}},
		{"one line", "no line breaks at all", []string{"no line breaks at all"}},
	} {
		doc, err := Extract([]byte(tc.raw))
		if err != nil {
			t.Fatal(err)
		}
		norm := Normalize(doc.Text)
		lines, ok := Lines(doc.Text, norm)
		if !ok {
			t.Errorf("%s: the lines of %q do not join up to %q", tc.name, doc.Text, norm)
			continue
		}
		var got, joined []string
		for _, l := range lines {
			if l.Blank {
				got = append(got, "")
			}
			got = append(got, norm[l.Start:l.End])
			joined = append(joined, norm[l.Start:l.End])
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: got lines %q, want %q", tc.name, got, tc.want)
		}
		if strings.Join(joined, " ") != norm {
			t.Errorf("%s: the lines joined are %q, not the normalized text %q", tc.name, strings.Join(joined, " "), norm)
		}
	}
	if _, ok := Lines("a\nb", "a b c"); ok {
		t.Errorf("lines that do not make up the text: ok")
	}
	if _, ok := Lines("a\nb", "ab"); ok {
		t.Errorf("lines not joined by a space: ok")
	}
}
