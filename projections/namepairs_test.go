package projections_test

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sillok/sillok/projections"
)

// The floors TestNamePairsEvaluation holds the name checks to, measured on
// testdata/namepairs/pairs.tsv (README.md reports the figures).
const (
	namePairsMinPrecision = 0.95
	namePairsMinRecall    = 0.93
)

// TestNamePairsEvaluation computes the precision and recall of the name
// checks on a labelled set of name pairs, all indexed together in one
// NameIndex (so every pair is found through the blocking keys, as in an
// archive), and holds them to measured floors. A pair counts as flagged when
// the index reports it, or when the two are one name already (IdentityKey).
func TestNamePairsEvaluation(t *testing.T) {
	type row struct{ label, a, b, pattern string }
	f, err := os.Open(filepath.Join("testdata", "namepairs", "pairs.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []row
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		fs := strings.Split(l, "\t")
		if len(fs) != 4 || fs[0] != "variant" && fs[0] != "different" {
			t.Fatalf("pairs.tsv:%d: got %q, want label, A, B, pattern separated by tabs", line, l)
		}
		rows = append(rows, row{fs[0], fs[1], fs[2], fs[3]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 200 {
		t.Errorf("%d labelled pairs, want at least 200", len(rows))
	}
	ix := projections.NewNameIndex()
	for _, r := range rows {
		ix.Add(r.a)
		ix.Add(r.b)
	}
	flagged := map[string]string{}
	pairKey := func(a, b string) string {
		ka, kb := projections.NameKey(a), projections.NameKey(b)
		return min(ka, kb) + "\x00" + max(ka, kb)
	}
	for _, p := range ix.Pairs() {
		flagged[pairKey(p.A, p.B)] = p.Reason
	}
	type counts struct{ tp, fp, fn, tn int }
	var all counts
	byPattern := map[string]*counts{}
	for _, r := range rows {
		reason, got := flagged[pairKey(r.a, r.b)]
		if !got && projections.IdentityKey(r.a) == projections.IdentityKey(r.b) {
			got, reason = true, "one name"
		}
		c := byPattern[r.pattern]
		if c == nil {
			c = &counts{}
			byPattern[r.pattern] = c
		}
		switch {
		case r.label == "variant" && got:
			c.tp++
			all.tp++
		case r.label == "variant":
			c.fn++
			all.fn++
			t.Logf("missed  %-28s %q / %q", r.pattern, r.a, r.b)
		case got:
			c.fp++
			all.fp++
			t.Logf("flagged %-28s %q / %q (%s)", r.pattern, r.a, r.b, reason)
		default:
			c.tn++
			all.tn++
		}
	}
	patterns := make([]string, 0, len(byPattern))
	for p := range byPattern {
		patterns = append(patterns, p)
	}
	sort.Strings(patterns)
	for _, p := range patterns {
		c := byPattern[p]
		t.Logf("%-28s found %d of %d variants, flagged %d of %d different", p, c.tp, c.tp+c.fn, c.fp, c.fp+c.tn)
	}
	precision := float64(all.tp) / float64(all.tp+all.fp)
	recall := float64(all.tp) / float64(all.tp+all.fn)
	t.Logf("%d pairs (%d variant, %d different): precision %.3f, recall %.3f", len(rows), all.tp+all.fn, all.fp+all.tn, precision, recall)
	if precision < namePairsMinPrecision {
		t.Errorf("precision %.3f, want at least %.2f", precision, namePairsMinPrecision)
	}
	if recall < namePairsMinRecall {
		t.Errorf("recall %.3f, want at least %.2f", recall, namePairsMinRecall)
	}
}
