package provenance

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// QuoteNotFoundError reports a quote that is not in the source text, with
// the passage of the text closest to it. Its Error method gives a readable
// multi-line message. It wraps ErrQuoteNotFound.
type QuoteNotFoundError struct {
	Quote      string  // the normalized quote
	Closest    string  // the passage of the text closest to the quote; "" if the text is empty
	Start, End int     // code point offsets of Closest in the text
	Similarity float64 // 1 - edit distance / the longer of Quote and Closest, in code points: 1 is identical, 0 nothing alike
	Diff       string  // a character diff from Closest to Quote: [-only in the text-]{+only in the quote+}
}

func (e *QuoteNotFoundError) Error() string {
	var b strings.Builder
	b.WriteString(ErrQuoteNotFound.Error())
	fmt.Fprintf(&b, "\n  quote:   %q", e.Quote)
	if e.Closest == "" {
		b.WriteString("\n  the source text is empty")
		return b.String()
	}
	fmt.Fprintf(&b, "\n  closest: %q (code points %d-%d, %.0f%% alike)", e.Closest, e.Start, e.End, 100*e.Similarity)
	fmt.Fprintf(&b, "\n  diff:    %s", e.Diff)
	b.WriteString("\n           [-...-] is only in the source, {+...+} only in the quote")
	return b.String()
}

// Unwrap returns ErrQuoteNotFound.
func (e *QuoteNotFoundError) Unwrap() error { return ErrQuoteNotFound }

// notFound returns the *QuoteNotFoundError for quote q in text.
func notFound(text, q string) *QuoteNotFoundError {
	t, qr := []rune(text), []rune(q)
	p := closest(t, qr)
	e := &QuoteNotFoundError{Quote: q}
	if len(t) == 0 {
		return e
	}
	e.Closest = string(t[p.start:p.end])
	e.Start, e.End = p.start, p.end
	e.Similarity = p.similarity(len(qr))
	e.Diff = diff(t[p.start:p.end], qr)
	return e
}

// diff renders a code point diff from a to b for a terminal without colour:
// equal text as it is, text only in a as [-text-], text only in b as
// {+text+}.
func diff(a, b []rune) string {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(a, b, false))
	var s strings.Builder
	for _, d := range diffs {
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			s.WriteString(d.Text)
		case diffmatchpatch.DiffDelete:
			s.WriteString("[-" + d.Text + "-]")
		case diffmatchpatch.DiffInsert:
			s.WriteString("{+" + d.Text + "+}")
		}
	}
	return s.String()
}

// passage is a span of a text aligned with a quote.
type passage struct {
	start, end int // code points
	dist       int // edit distance to the quote
}

func (p passage) similarity(quoteLen int) float64 {
	longest := max(quoteLen, p.end-p.start)
	if longest == 0 {
		return 1
	}
	return 1 - float64(p.dist)/float64(longest)
}

// Tuning of the closest-passage search.
const (
	maxCandidates = 8       // windows refined by alignment, at most
	cellBudget    = 4 << 20 // alignment cells (quote × region code points) spent on refining, at least one candidate
	maxMargin     = 64      // code points a candidate window may grow on each side, at most
)

// closest returns the passage of text with the least edit distance to
// quote, searching near the windows of len(quote) code points that share
// the most character n-grams with it. Ties go to the earlier passage.
//
// Cost: O(len(text)) to rank windows, then at most cellBudget steps of
// alignment (or one window's worth, for a very long quote). A candidate
// window is not aligned when the n-grams it shares prove it cannot beat the
// best passage found so far: an edit changes at most g of the quote's
// n-grams of g code points (the q-gram lemma), so a passage sharing s of
// the quote's w n-grams is at least (w-s)/g edits away.
func closest(text, quote []rune) passage {
	n, m := len(text), len(quote)
	if n == 0 || m == 0 {
		return passage{dist: m}
	}
	margin := min(m/2, maxMargin) + 4
	region := min(n, m+2*margin)
	k := max(1, min(maxCandidates, cellBudget/(m*region)))
	r := rank(text, quote, k)

	best, bestLo := passage{dist: -1}, 0
	for _, c := range r.starts {
		lo, hi := max(0, c-margin), min(n, c+m+margin)
		if best.dist >= 0 && r.lowerBound(lo, hi) > best.dist {
			continue
		}
		end, dist := alignEnd(text[lo:hi], quote)
		if best.dist < 0 || dist < best.dist || dist == best.dist && lo+end < bestLo+best.end {
			best, bestLo = passage{end: end, dist: dist}, lo
		}
	}
	if best.dist < 0 {
		return passage{dist: m}
	}
	// The passage has at most len(quote)+dist code points.
	from := max(0, best.end-m-best.dist)
	best.start = best.end - alignStart(text[bestLo+from:bestLo+best.end], quote)
	best.start += bestLo
	best.end += bestLo
	return best
}

// ranking is the result of rank.
type ranking struct {
	starts []int   // window starts, best first
	g      int     // n-gram length used
	w      int     // n-grams in the quote, counted with repeats; 0 if none shared
	hits   []int32 // hits[i]: n-grams of the text before i that are also in the quote
}

// lowerBound returns a lower bound of the edit distance between the quote
// and any passage of text[lo:hi].
func (r ranking) lowerBound(lo, hi int) int {
	if r.w == 0 {
		return 0
	}
	last := min(hi-r.g+1, len(r.hits)-1) // n-grams wholly inside text[lo:hi] start before last
	if last <= lo {
		return 0
	}
	shared := int(r.hits[last] - r.hits[lo])
	return max(0, (r.w-shared+r.g-1)/r.g)
}

// rank returns up to k start positions of windows of len(quote) code
// points in text that share the most n-grams with quote, at least half a
// quote apart, best first. It uses trigrams, or shorter n-grams for a short
// quote or when no trigram is shared. Case is ignored.
func rank(text, quote []rune, k int) ranking {
	n, m := len(text), len(quote)
	ft, fq := fold(text), fold(quote)
	g := 3
	switch {
	case m < 4:
		g = 1
	case m < 6:
		g = 2
	}
	for ; g >= 1; g-- {
		if r := rankBy(ft, fq, g, k); r.starts != nil {
			return r
		}
	}
	// Nothing shared, not even a single character: spread the windows.
	var cs []int
	for i := range k {
		cs = append(cs, min(i*n/k, max(0, n-m)))
	}
	return ranking{starts: slices.Compact(cs)}
}

// fold returns r with each code point in lower case.
func fold(r []rune) []rune {
	out := make([]rune, len(r))
	for i, c := range r {
		out[i] = unicode.ToLower(c)
	}
	return out
}

// gram returns the n-gram of g code points at r[i:] as a number: 21 bits
// per code point.
func gram(r []rune, i, g int) uint64 {
	var key uint64
	for _, c := range r[i : i+g] {
		key = key<<21 | uint64(c)&(1<<21-1)
	}
	return key
}

// rankBy ranks windows by the number of quote n-grams of g code points
// they hold; it returns no starts if no window holds any.
func rankBy(text, quote []rune, g, k int) ranking {
	n, m := len(text), len(quote)
	if m < g || n < g {
		return ranking{}
	}
	// The quote's n-grams, with a bit set as a quick filter before the map.
	grams := make(map[uint64]struct{}, m)
	var filter [1 << 10]uint64 // 64 Ki bits
	for i := 0; i+g <= m; i++ {
		key := gram(quote, i, g)
		grams[key] = struct{}{}
		h := hash(key)
		filter[h>>6&(1<<10-1)] |= 1 << (h & 63)
	}
	// hits[i+1]-hits[i] is 1 if the n-gram at text[i] is one of the
	// quote's.
	hits := make([]int32, n-g+2)
	for i := range n - g + 1 {
		hits[i+1] = hits[i]
		key := gram(text, i, g)
		h := hash(key)
		if filter[h>>6&(1<<10-1)]&(1<<(h&63)) == 0 {
			continue
		}
		if _, ok := grams[key]; ok {
			hits[i+1]++
		}
	}
	if hits[len(hits)-1] == 0 {
		return ranking{}
	}

	// score(j) is the number of hits in the window text[j:j+m], for the
	// n-grams wholly inside it.
	w := min(m, n) - g + 1 // n-grams per window
	windows := max(1, n-m+1)
	score := func(j int) int32 { return hits[j+w] - hits[j] }

	// The best window of each block, then the best blocks whose windows
	// are at least half a quote apart.
	block := max(m/2, 32)
	type window struct {
		start int
		score int32
	}
	var best []window
	for lo := 0; lo < windows; lo += block {
		b := window{lo, score(lo)}
		for j := lo + 1; j < min(lo+block, windows); j++ {
			if s := score(j); s > b.score {
				b = window{j, s}
			}
		}
		if b.score > 0 {
			best = append(best, b)
		}
	}
	slices.SortStableFunc(best, func(a, b window) int { return int(b.score - a.score) })
	apart := max(1, m/2)
	var starts []int
	for _, b := range best {
		if len(starts) == k {
			break
		}
		if !slices.ContainsFunc(starts, func(s int) bool { return abs(s-b.start) < apart }) {
			starts = append(starts, b.start)
		}
	}
	return ranking{starts: starts, g: g, w: m - g + 1, hits: hits}
}

func hash(key uint64) uint64 { return key * 0x9E3779B97F4A7C15 >> 48 }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// alignEnd returns the end of the substring of region with the least edit
// distance to quote, and that distance.
func alignEnd(region, quote []rune) (end, dist int) {
	m := len(quote)
	col := make([]int32, m+1) // the column of the previous code point of region
	for i := range col {
		col[i] = int32(i)
	}
	best, bestEnd := int32(m), 0
	for j, c := range region {
		col := col[:m+1]
		var diag, left int32 = 0, 0 // col[i-1] of the previous and this column
		for i, q := range quote {
			up := col[i+1]
			d := diag
			if q != c {
				d++
			}
			d = min(d, left+1, up+1)
			diag, left = up, d
			col[i+1] = d
		}
		if d := col[m]; d < best || d == best && j == bestEnd {
			best, bestEnd = d, j+1
		}
	}
	return bestEnd, int(best)
}

// alignStart returns the length of the suffix of text with the least edit
// distance to quote.
func alignStart(text, quote []rune) int {
	m := len(quote)
	col := make([]int32, m+1)
	for i := range col {
		col[i] = int32(i)
	}
	best, bestLen := int32(m), 0
	for j := len(text) - 1; j >= 0; j-- {
		c := text[j]
		col := col[:m+1]
		n := int32(len(text) - j) // code points of text taken so far
		diag, left := n-1, n
		col[0] = n
		for i := m - 1; i >= 0; i-- {
			up := col[m-i]
			d := diag
			if quote[i] != c {
				d++
			}
			d = min(d, left+1, up+1)
			diag, left = up, d
			col[m-i] = d
		}
		if d := col[m]; d < best || d == best && int(n) == bestLen+1 {
			best, bestLen = d, int(n)
		}
	}
	return bestLen
}
