// Package textdist measures how far apart two words are: the edit
// (Levenshtein) distance over runes, the deletion forms that find the words
// within a few edits of a word without comparing it with every other (the
// symmetric-deletion method: two words within k edits share a form with at
// most k runes deleted), and the FNV-1a hash those forms are indexed by.
//
// The look-alike names of package projections and the invented words of
// the generator (internal/gen) are both measured with it, so that the
// generator's promise (its names never look alike unless planted) is kept
// by the same arithmetic that checks it.
package textdist

import (
	"slices"
	"unicode/utf8"
)

// Distance returns the Levenshtein distance between a and b over runes
// (inserting, deleting or replacing one rune costs one edit) and true when
// it is at most bound; otherwise it returns bound+1 and false, having
// stopped as soon as no alignment could stay within bound.
//
// keep, when not nil, marks the runes no edit may touch: an alignment that
// inserts, deletes or replaces one of them does not count, so two words
// whose kept runes differ are always more than bound apart.
//
// Distance is symmetric: Distance(a, b, ...) and Distance(b, a, ...) are
// the same, whatever the words (unlike a diff's edit count, which can depend
// on the order of its texts).
func Distance(a, b string, bound int, keep func(rune) bool) (int, bool) {
	if bound < 0 {
		bound = 0
	}
	far := bound + 1
	if a == b {
		return 0, true
	}
	// The common prefix and suffix are aligned with no edit.
	for len(a) > 0 && len(b) > 0 {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[na:], b[nb:]
	}
	for len(a) > 0 && len(b) > 0 {
		ra, na := utf8.DecodeLastRuneInString(a)
		rb, nb := utf8.DecodeLastRuneInString(b)
		if ra != rb {
			break
		}
		a, b = a[:len(a)-na], b[:len(b)-nb]
	}
	var bufA, bufB [32]rune
	ra, rb := appendRunes(bufA[:0], a), appendRunes(bufB[:0], b)
	if d := len(ra) - len(rb); d > bound || -d > bound {
		return far, false
	}
	// cost is the cost of inserting or deleting r.
	cost := func(r rune) int {
		if keep != nil && keep(r) {
			return far
		}
		return 1
	}
	var rowA, rowB [33]int
	prev, cur := rowA[:0], rowB[:0]
	for j := 0; j <= len(rb); j++ {
		prev, cur = append(prev, 0), append(cur, 0)
	}
	for j := 1; j <= len(rb); j++ {
		prev[j] = min(far, prev[j-1]+cost(rb[j-1]))
	}
	for i := 1; i <= len(ra); i++ {
		x := ra[i-1]
		cx := cost(x)
		cur[0] = min(far, prev[0]+cx)
		least := cur[0]
		for j := 1; j <= len(rb); j++ {
			y := rb[j-1]
			sub := prev[j-1]
			if x != y {
				sub += max(cx, cost(y))
			}
			cur[j] = min(far, sub, prev[j]+cx, cur[j-1]+cost(y))
			least = min(least, cur[j])
		}
		if least >= far {
			return far, false
		}
		prev, cur = cur, prev
	}
	d := prev[len(rb)]
	return d, d <= bound
}

func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}

// DeletionForms returns the hashes (Hash) of the distinct forms of w with up
// to k runes deleted, w itself among them, sorted. Two words within k edits
// of each other share at least one form.
func DeletionForms(w string, k int) []uint64 {
	rs := []rune(w)
	out := []uint64{HashRunes(rs)}
	buf := make([]rune, 0, len(rs))
	// del adds the forms of rs with its runes from index `from` on deleted,
	// up to k more of them, given that buf holds rs[:from] already reduced.
	var del func(buf []rune, from, k int)
	del = func(buf []rune, from, k int) {
		for i := from; i < len(rs); i++ {
			// Delete rs[i]: the form is buf + rs[from:i] + rs[i+1:].
			head := append(buf, rs[from:i]...)
			out = append(out, hashParts(head, rs[i+1:]))
			if k > 1 {
				del(head, i+1, k-1)
			}
		}
	}
	if k > 0 {
		del(buf, 0, k)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Hash is the 64-bit FNV-1a hash of s.
func Hash(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// HashRunes is Hash of the UTF-8 encoding of rs, without building it.
func HashRunes(rs []rune) uint64 { return hashParts(rs, nil) }

func hashParts(x, y []rune) uint64 {
	h := uint64(fnvOffset)
	var b [utf8.UTFMax]byte
	for _, part := range [2][]rune{x, y} {
		for _, r := range part {
			if r < utf8.RuneSelf {
				h = (h ^ uint64(r)) * fnvPrime
				continue
			}
			n := utf8.EncodeRune(b[:], r)
			for _, c := range b[:n] {
				h = (h ^ uint64(c)) * fnvPrime
			}
		}
	}
	return h
}
