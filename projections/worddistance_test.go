package projections_test

import (
	"testing"

	"github.com/sillok/sillok/projections"
)

// TestLookAlikeCountsEditsNotDiffRuns pins the spelling rule to the
// Levenshtein distance over runes. go-diff's count, used before, could
// exceed it: "Samsung" and "Bassung" are two replaced letters apart, which
// go-diff counted as 4 edits (a deletion and an insertion, twice, in runs
// it did not pair up), so the pair was not asked about.
func TestLookAlikeCountsEditsNotDiffRuns(t *testing.T) {
	for _, c := range []struct {
		a, b, detail string
	}{
		{"Samsung", "Bassung", "edit distance 2 of 7"},
		{"Samsung Electronics", "Bassung Electronics", "edit distance 2 of 19"},
		{"Samsung", "Samsnug", "edit distance 2 of 7"}, // a transposition is still 2
	} {
		for _, p := range [][2]string{{c.a, c.b}, {c.b, c.a}} {
			r, ok := projections.LookAlike(p[0], p[1])
			if !ok || r.Reason != projections.ReasonSpelling || r.Detail != c.detail {
				t.Errorf("LookAlike(%q, %q): got %+v %v, want %s, %q", p[0], p[1], r, ok, projections.ReasonSpelling, c.detail)
			}
		}
	}
	// The limits are unchanged: three edits in a 7-letter word are too many,
	// and a Han character is never respelt.
	for _, p := range [][2]string{{"Samsung", "Bassunk"}, {"日米韓首脳会談", "日米首脳会談"}, {"東京大学", "京東大学"}} {
		if r, ok := projections.LookAlike(p[0], p[1]); ok {
			t.Errorf("LookAlike(%q, %q): got %+v, want not alike", p[0], p[1], r)
		}
	}
}
