package textdist_test

import (
	"hash/fnv"
	"slices"
	"testing"
	"unicode"

	"github.com/sillok/sillok/internal/textdist"
)

// reference is the textbook Levenshtein distance over runes, with edits
// that touch a kept rune costing more than any bound used here.
func reference(a, b string, keep func(rune) bool) int {
	const never = 1000
	x, y := []rune(a), []rune(b)
	cost := func(r rune) int {
		if keep != nil && keep(r) {
			return never
		}
		return 1
	}
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
	}
	for i := 1; i <= len(x); i++ {
		d[i][0] = d[i-1][0] + cost(x[i-1])
	}
	for j := 1; j <= len(y); j++ {
		d[0][j] = d[0][j-1] + cost(y[j-1])
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			sub := d[i-1][j-1]
			if x[i-1] != y[j-1] {
				sub += max(cost(x[i-1]), cost(y[j-1]))
			}
			d[i][j] = min(sub, d[i-1][j]+cost(x[i-1]), d[i][j-1]+cost(y[j-1]))
		}
	}
	return d[len(x)][len(y)]
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		bound int
		keep  func(rune) bool
		want  int
		ok    bool
	}{
		{"samsung", "samsung", 2, nil, 0, true},
		{"samsung", "samsnug", 2, nil, 2, true}, // a transposition is two edits
		{"kitten", "sitting", 3, nil, 3, true},
		{"kitten", "sitting", 2, nil, 3, false}, // past the bound: bound+1
		{"japan", "japanese", 2, nil, 3, false}, // lengths alone exceed it
		{"", "abc", 5, nil, 3, true},
		{"ソウル", "ソール", 2, nil, 1, true},
		{"서울특별시", "서을특별시", 2, nil, 1, true},
		{"日米韓首脳会談", "日米首脳会談", 2, nil, 1, true},
		{"日米韓首脳会談", "日米首脳会談", 2, isHan, 3, false},                                                        // deleting 韓 is no spelling change
		{"日米韓首脳会談", "日米韓外相会談", 2, isHan, 3, false},                                                       // nor is replacing 首脳
		{"東京tower", "東京towr", 2, isHan, 1, true},                                                         // an edit beside Han characters is
		{"abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz012345678", 1, nil, 1, true}, // longer than the stack buffers
		{"zbcdefghijklmnopqrstuvwxyz0123456789x", "abcdefghijklmnopqrstuvwxyz0123456789", 5, nil, 2, true},
	} {
		got, ok := textdist.Distance(c.a, c.b, c.bound, c.keep)
		if got != c.want || ok != c.ok {
			t.Errorf("Distance(%q, %q, %d): got %d %v, want %d %v", c.a, c.b, c.bound, got, ok, c.want, c.ok)
		}
		back, backOK := textdist.Distance(c.b, c.a, c.bound, c.keep)
		if back != got || backOK != ok {
			t.Errorf("Distance(%q, %q, %d): got %d %v, the other way %d %v", c.a, c.b, c.bound, got, ok, back, backOK)
		}
	}
}

// checkDistance compares Distance with the reference at a few bounds.
func checkDistance(t *testing.T, a, b string, keep func(rune) bool) {
	want := reference(a, b, keep)
	for bound := range 4 {
		got, ok := textdist.Distance(a, b, bound, keep)
		if want <= bound {
			if got != want || !ok {
				t.Errorf("Distance(%q, %q, %d): got %d %v, want %d true", a, b, bound, got, ok, want)
			}
		} else if got != bound+1 || ok {
			t.Errorf("Distance(%q, %q, %d): got %d %v, want %d false (the distance is %d)", a, b, bound, got, ok, bound+1, want)
		}
	}
}

func TestDistanceMatchesReference(t *testing.T) {
	words := []string{"", "a", "ab", "ba", "abc", "acb", "samsung", "samsnug", "sumsang", "kakinu", "kakinun", "kaknu",
		"東京", "東京都", "京東", "サイバー", "サイパー", "평의회", "평의외", "ärger", "arger", "straße", "strasse"}
	for _, a := range words {
		for _, b := range words {
			checkDistance(t, a, b, nil)
			checkDistance(t, a, b, isHan)
		}
	}
}

func FuzzDistance(f *testing.F) {
	f.Add("samsung", "samsnug")
	f.Add("日米韓首脳会談", "日米首脳会談")
	f.Add("kitten", "sitting")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 64 || len(b) > 64 {
			return
		}
		checkDistance(t, a, b, nil)
		checkDistance(t, a, b, isHan)
		for bound := range 4 {
			x, xok := textdist.Distance(a, b, bound, isHan)
			y, yok := textdist.Distance(b, a, bound, isHan)
			if x != y || xok != yok {
				t.Errorf("Distance(%q, %q, %d): got %d %v, the other way %d %v", a, b, bound, x, xok, y, yok)
			}
		}
	})
}

// forms lists the distinct forms of w with up to k runes deleted.
func forms(w []rune, k int) []string {
	out := []string{string(w)}
	if k == 0 {
		return out
	}
	for i := range w {
		out = append(out, forms(slices.Concat(w[:i], w[i+1:]), k-1)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestDeletionForms(t *testing.T) {
	for _, w := range []string{"", "a", "samsung", "aaaa", "kakinun", "서울특별시", "サイバー"} {
		for k := range 4 {
			var want []uint64
			for _, f := range forms([]rune(w), k) {
				want = append(want, textdist.Hash(f))
			}
			slices.Sort(want)
			want = slices.Compact(want)
			if got := textdist.DeletionForms(w, k); !slices.Equal(got, want) {
				t.Errorf("DeletionForms(%q, %d): got %d hashes %x, want %d %x", w, k, len(got), got, len(want), want)
			}
		}
	}
	// Two words within k edits share a form.
	share := func(a, b string, k int) bool {
		fb := textdist.DeletionForms(b, k)
		for _, h := range textdist.DeletionForms(a, k) {
			if _, ok := slices.BinarySearch(fb, h); ok {
				return true
			}
		}
		return false
	}
	if !share("samsung", "samsnug", 2) || !share("kakinun", "kakinu", 1) || share("samsung", "kakinun", 2) {
		t.Errorf("DeletionForms: words within k edits must share a form, words far apart not")
	}
}

func TestHash(t *testing.T) {
	for _, s := range []string{"", "a", "samsung", "서울", "日米"} {
		h := fnv.New64a()
		h.Write([]byte(s))
		if got, want := textdist.Hash(s), h.Sum64(); got != want {
			t.Errorf("Hash(%q): got %x, want FNV-1a %x", s, got, want)
		}
		if got, want := textdist.HashRunes([]rune(s)), textdist.Hash(s); got != want {
			t.Errorf("HashRunes(%q): got %x, want %x", s, got, want)
		}
	}
}
