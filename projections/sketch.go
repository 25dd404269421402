package projections

import (
	"cmp"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Near-duplicate sources. Support counts independent sources, and a source
// that copies most of another's text counts once with it. Copies are found
// with MinHash sketches of word shingles and a banded LSH index.

const (
	// ShingleWords is the number of consecutive tokens in a shingle.
	ShingleWords = 5
	// SketchSize is the number of MinHash slots in a Sketch.
	SketchSize = 192
	// CopyThreshold is the estimated Jaccard similarity of two sources'
	// shingle sets at or above which one is a copy of the other. It is
	// Jaccard, not containment: a story republished with a new headline and
	// a paragraph rewritten is a copy (about 0.7), a reprint of three of its
	// eight paragraphs is not (about 0.4). With 192 slots the estimate's
	// standard error is about 0.036 near the threshold.
	CopyThreshold = 0.5

	// copyBands × copyRows = SketchSize. Two sketches are candidates when
	// all rows of some band are equal. With 64 bands of 3 rows the S-curve
	// turns at (1/64)^(1/3) ≈ 0.25: a pair at exactly CopyThreshold is a
	// candidate with probability 1-(1-0.5³)^64 ≈ 0.9998, while a pair at
	// 0.1 (shared boilerplate) is one with probability about 0.06.
	copyBands = 64
	copyRows  = SketchSize / copyBands
)

// Sketch is the MinHash sketch of a text: slot i holds the least value of
// hash function i over the text's shingles. A text without tokens has the
// empty sketch, every slot 0xFFFFFFFF.
type Sketch [SketchSize]uint32

// minhashFamily holds the coefficients of the hash functions
// h_i(x) = (a_i·x + b_i mod 2^64) >> 32 (multiply-add-shift, with a_i odd),
// drawn from splitmix64 with a fixed seed so that sketches are the same on
// every run and platform. (Schema 4 and before used (a·x + b) mod 2^61-1,
// four times slower for estimates of the same quality.)
var minhashFamily = func() (f [SketchSize][2]uint64) {
	seed := uint64(0x5111_0c5e_ed00_0002)
	for i := range f {
		f[i][0] = splitmix64(&seed) | 1
		f[i][1] = splitmix64(&seed)
	}
	return f
}()

// splitmix64 advances the state and returns its next output.
func splitmix64(state *uint64) uint64 {
	*state += 0x9e3779b97f4a7c15
	return mix64(*state)
}

// SketchText returns the sketch of text.
//
// The text is NFKC-normalized and lower-cased, then cut into tokens: runs of
// letters, marks and digits for space-separated scripts (punctuation and
// apostrophes separate), and single characters for Han, Hiragana and
// Katakana, which are written without spaces. A shingle is ShingleWords
// consecutive tokens, so Japanese text gets 5-character shingles and mixed
// text shingles that cross from one script to the other. A text with fewer
// tokens than a shingle has one shingle of all its tokens.
//
// Each shingle is hashed with FNV-1a 64 (tokens separated by a zero byte),
// its bits mixed with splitmix64's finalizer, and put through each function
// of a fixed multiply-add-shift hash family (minhashFamily).
func SketchText(text string) Sketch {
	tokens := sketchTokens(text)
	var sk Sketch
	if len(tokens) == 0 {
		for i := range sk {
			sk[i] = ^uint32(0)
		}
		return sk
	}
	n := max(1, len(tokens)-ShingleWords+1)
	shingles := make([]uint64, 0, n)
	for i := 0; i < n; i++ {
		shingles = append(shingles, mix64(shingleHash(tokens[i:min(i+ShingleWords, len(tokens))])))
	}
	slices.Sort(shingles)
	shingles = slices.Compact(shingles)
	minhash(&sk, shingles)
	return sk
}

// minhash sets each slot i of sk to the least h_i(x) over the shingles x
// (at least one). It takes four hash functions at a time over all the
// shingles, each minimum in a register.
func minhash(sk *Sketch, shingles []uint64) {
	for i := 0; i < SketchSize; i += 4 {
		f := minhashFamily[i : i+4 : i+4]
		a0, a1, a2, a3 := f[0][0], f[1][0], f[2][0], f[3][0]
		b0, b1, b2, b3 := f[0][1], f[1][1], f[2][1], f[3][1]
		m0, m1, m2, m3 := ^uint32(0), ^uint32(0), ^uint32(0), ^uint32(0)
		for _, x := range shingles {
			m0 = min(m0, uint32((a0*x+b0)>>32))
			m1 = min(m1, uint32((a1*x+b1)>>32))
			m2 = min(m2, uint32((a2*x+b2)>>32))
			m3 = min(m3, uint32((a3*x+b3)>>32))
		}
		sk[i], sk[i+1], sk[i+2], sk[i+3] = m0, m1, m2, m3
	}
}

// shingleHash returns the FNV-1a 64 hash of the tokens joined by zero bytes.
func shingleHash(tokens []string) uint64 {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	h := uint64(offset64)
	for j, t := range tokens {
		if j > 0 {
			h *= prime64 // the zero separator byte (h ^= 0 changes nothing)
		}
		for k := 0; k < len(t); k++ {
			h ^= uint64(t[k])
			h *= prime64
		}
	}
	return h
}

// sketchTokens cuts text into the tokens SketchText shingles. A character
// token is the character's bytes in the normalized text (isCharToken
// accepts no U+FFFD, so they are valid UTF-8 and the same as string(r)).
func sketchTokens(text string) []string {
	s := strings.ToLower(norm.NFKC.String(text))
	tokens := make([]string, 0, len(s)/5+1)
	start := -1 // start of the word being read, or -1
	for i, r := range s {
		switch {
		case r < utf8.RuneSelf:
			// ASCII: letters and digits make words, the rest separates.
			if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' {
				if start < 0 {
					start = i
				}
			} else if start >= 0 {
				tokens = append(tokens, s[start:i])
				start = -1
			}
		case isCharToken(r):
			if start >= 0 {
				tokens = append(tokens, s[start:i])
				start = -1
			}
			tokens = append(tokens, s[i:i+utf8.RuneLen(r)])
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r):
			if start < 0 {
				start = i
			}
		default:
			if start >= 0 {
				tokens = append(tokens, s[start:i])
				start = -1
			}
		}
	}
	if start >= 0 {
		tokens = append(tokens, s[start:])
	}
	return tokens
}

// isCharToken reports whether r is a token by itself: a character of a
// script written without spaces between words.
func isCharToken(r rune) bool {
	if r < 0x2e80 { // below the CJK blocks
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		r == '\u30fc' // ー, the prolonged sound mark
}

// IsEmpty reports whether s is the sketch of a text without tokens.
func (s Sketch) IsEmpty() bool {
	for _, v := range s {
		if v != ^uint32(0) {
			return false
		}
	}
	return true
}

// Similarity returns the fraction of slots in which s and o agree: an
// estimate of the Jaccard similarity of the two texts' shingle sets. An empty
// sketch is similar to nothing, not even another empty one.
func (s Sketch) Similarity(o Sketch) float64 {
	if s.IsEmpty() || o.IsEmpty() {
		return 0
	}
	return float64(s.agreeing(o)) / SketchSize
}

func (s Sketch) agreeing(o Sketch) int {
	n := 0
	for i, v := range s {
		if v == o[i] {
			n++
		}
	}
	return n
}

// isCopy reports whether s and o are at least CopyThreshold similar.
func (s Sketch) isCopy(o Sketch) bool {
	return s.Similarity(o) >= CopyThreshold
}

// CopyIndex finds the sources whose sketches are near-duplicates, without
// comparing every source with every other: each sketch is filed under one
// hash per band of copyRows slots, sources sharing a band bucket are
// candidates, and candidates are confirmed by Similarity. The answers depend
// only on the sketches and the order they were added in, so rebuilding an
// index from scratch in the same order gives the same answers.
//
// A CopyIndex is not safe for concurrent use.
type CopyIndex struct {
	ids      []string
	sketches []Sketch
	// buckets maps a band hash to its latest entry in chain, plus one; the
	// entries of one bucket are linked through next (plus one, 0 ends).
	buckets map[uint64]int32
	chain   []bandEntry
}

// bandEntry is one source in a band bucket.
type bandEntry struct {
	pos  int32 // position in ids
	next int32 // the bucket's previous entry in chain, plus one; 0 for none
}

// NewCopyIndex returns an empty index.
func NewCopyIndex() *CopyIndex {
	return &CopyIndex{buckets: make(map[uint64]int32)}
}

// Add adds the sketch of source id and returns the ids of the sources added
// before it whose sketches are at least CopyThreshold similar, sorted and
// without duplicates. An id is never reported as a copy of itself. An empty
// sketch is similar to nothing and is not indexed.
func (ix *CopyIndex) Add(id string, s Sketch) []string {
	if s.IsEmpty() {
		return nil
	}
	pos := int32(len(ix.ids))
	var cands []int32
	for b := range copyBands {
		h := bandHash(b, s[b*copyRows:(b+1)*copyRows])
		head := ix.buckets[h]
		for e := head; e != 0; e = ix.chain[e-1].next {
			cands = append(cands, ix.chain[e-1].pos)
		}
		ix.chain = append(ix.chain, bandEntry{pos: pos, next: head})
		ix.buckets[h] = int32(len(ix.chain))
	}
	ix.ids = append(ix.ids, id)
	ix.sketches = append(ix.sketches, s)

	slices.Sort(cands)
	cands = slices.Compact(cands)
	var out []string
	for _, c := range cands {
		if ix.ids[c] != id && s.isCopy(ix.sketches[c]) {
			out = append(out, ix.ids[c])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// copyPairs returns every pair (i, j), i < j, of the sketches that
// CopyIndex reports as copies when they are added in order: pairs that
// share a band and are at least CopyThreshold similar. It finds them in
// one pass over the sorted band hashes of all the sketches at once, which
// costs a sort instead of a growing hash table (the whole-state analysis
// asks for every pair). Empty sketches pair with nothing.
func copyPairs(sks []*Sketch) [][2]int32 {
	type entry struct {
		h   uint64
		pos int32
	}
	entries := make([]entry, 0, len(sks)*copyBands)
	for i, s := range sks {
		if s.IsEmpty() {
			continue
		}
		for b := range copyBands {
			entries = append(entries, entry{bandHash(b, s[b*copyRows:(b+1)*copyRows]), int32(i)})
		}
	}
	// Sorted by hash: placed by its top 16 bits (one counting pass), then
	// each of those small runs sorted.
	const top = 16
	start := make([]int32, 1<<top+1)
	for _, e := range entries {
		start[e.h>>(64-top)+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	sorted := make([]entry, len(entries))
	next := slices.Clone(start[:1<<top])
	for _, e := range entries {
		b := e.h >> (64 - top)
		sorted[next[b]] = e
		next[b]++
	}
	entries = sorted
	for b := range 1 << top {
		if run := entries[start[b]:start[b+1]]; len(run) > 1 {
			slices.SortFunc(run, func(x, y entry) int { return cmp.Compare(x.h, y.h) })
		}
	}
	var cands []uint64
	for i := 0; i < len(entries); {
		j := i + 1
		for j < len(entries) && entries[j].h == entries[i].h {
			j++
		}
		for x := i; x < j; x++ {
			for y := x + 1; y < j; y++ {
				if p, q := entries[x].pos, entries[y].pos; p != q {
					cands = append(cands, uint64(min(p, q))<<32|uint64(max(p, q)))
				}
			}
		}
		i = j
	}
	clear(entries)
	slices.Sort(cands)
	cands = slices.Compact(cands)
	var out [][2]int32
	for _, c := range cands {
		i, j := int32(c>>32), int32(uint32(c))
		if sks[j].isCopy(*sks[i]) {
			out = append(out, [2]int32{i, j})
		}
	}
	return out
}

// Len returns the number of sketches indexed.
func (ix *CopyIndex) Len() int {
	return len(ix.ids)
}

// bandHash hashes band b's slots.
func bandHash(b int, slots []uint32) uint64 {
	h := uint64(b)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
	for _, v := range slots {
		h ^= uint64(v)
		h *= 0xff51afd7ed558ccd
		h ^= h >> 33
	}
	return h
}

// MarshalText encodes a sketch compactly (base64 of its little-endian
// slots), so checkpoints do not spell out SketchSize numbers per source.
func (s Sketch) MarshalText() ([]byte, error) {
	b := make([]byte, 4*SketchSize)
	for i, v := range s {
		binary.LittleEndian.PutUint32(b[4*i:], v)
	}
	return []byte(base64.StdEncoding.EncodeToString(b)), nil
}

// UnmarshalText decodes what MarshalText wrote.
func (s *Sketch) UnmarshalText(text []byte) error {
	b, err := base64.StdEncoding.DecodeString(string(text))
	if err != nil || len(b) != 4*SketchSize {
		return fmt.Errorf("projections: bad sketch encoding")
	}
	for i := range s {
		s[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return nil
}
