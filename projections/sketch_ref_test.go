package projections

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// sketchTextRef is SketchText written plainly, from its definition: every
// hash function of the family for one shingle at a time. The faster
// SketchText must give the same sketches bit for bit, since stored sketches
// are compared with new ones.
func sketchTextRef(text string) Sketch {
	tokens := sketchTokensRef(text)
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
		shingles = append(shingles, mix64(shingleHashRef(tokens[i:min(i+ShingleWords, len(tokens))])))
	}
	slices.Sort(shingles)
	shingles = slices.Compact(shingles)
	var mins [SketchSize]uint64
	for i := range mins {
		mins[i] = ^uint64(0)
	}
	for _, x := range shingles {
		for i := range mins {
			if v := universalHashRef(minhashFamily[i][0], minhashFamily[i][1], x); v < mins[i] {
				mins[i] = v
			}
		}
	}
	for i, v := range mins {
		sk[i] = uint32(v)
	}
	return sk
}

func shingleHashRef(tokens []string) uint64 {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	h := uint64(offset64)
	for j, t := range tokens {
		if j > 0 {
			h *= prime64
		}
		for k := 0; k < len(t); k++ {
			h ^= uint64(t[k])
			h *= prime64
		}
	}
	return h
}

func sketchTokensRef(text string) []string {
	return sketchTokensOld(text)
}

func universalHashRef(a, b, x uint64) uint64 {
	return (a*x + b) >> 32 // mod 2^64, the high 32 bits
}

// refTexts returns texts of many kinds: the test stories, random words and
// characters of several scripts, punctuation, invalid UTF-8, and the seed
// and generated sources when they are around.
func refTexts(t testing.TB) []string {
	texts := []string{"", " ", "a", "a b c d", "a b c d e", "a b c d e f", "Camp David summit", "ＡＢＣ　ｄｅｆ", "İstanbul Straße ǅ", "\xff\xfe bad \xc3 utf8 日本\xe3\x81", "ー ーー 日本語のテキスト カタカナ ひらがな", "naïve café ﬁne ½ ①"}
	rng := rand.New(rand.NewPCG(7, 11))
	parts := []string{"the", "harbour", "Velmora", "ports", "1,736", "2016年", "協会", "は", "シハチク", "・", "ー", "д", "Москва", "ß", "e\u0301", "—", ",", ". ", "\n\n", " ", "'", "’", "\t", "ǅ", "Ⅻ", "ﬀ", "\u200b", "\ufffd", "\xff", "한국어", "ภาษา", "١٢٣"}
	for range 400 {
		var b strings.Builder
		n := rng.IntN(300)
		for range n {
			b.WriteString(parts[rng.IntN(len(parts))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		texts = append(texts, b.String())
	}
	for range 100 {
		b := make([]byte, rng.IntN(200))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		texts = append(texts, string(b))
	}
	for _, glob := range []string{
		filepath.Join("..", "..", "shared", "seeds", "*.txt"),
		filepath.Join(os.TempDir(), "sillok-bench-10000-*", "gen", "sources", "*.txt"),
	} {
		files, _ := filepath.Glob(glob)
		if len(files) > 300 {
			files = files[:300]
		}
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				texts = append(texts, string(b))
			}
		}
	}
	return texts
}

func TestSketchTextMatchesReference(t *testing.T) {
	for i, text := range refTexts(t) {
		if got, want := SketchText(text), sketchTextRef(text); got != want {
			t.Fatalf("text %d (%q): SketchText differs from the reference", i, text[:min(len(text), 80)])
		}
		if got, want := sketchTokens(text), sketchTokensRef(text); !slices.Equal(got, want) {
			t.Fatalf("text %d (%q): tokens %q, want %q", i, text[:min(len(text), 80)], got, want)
		}
	}
}

func BenchmarkSketchTextRef(b *testing.B) {
	texts := refTexts(b)
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			for _, t := range texts {
				SketchText(t)
			}
		}
	})
	b.Run("ref", func(b *testing.B) {
		for b.Loop() {
			for _, t := range texts {
				sketchTextRef(t)
			}
		}
	})
}

// sketchTokensOld is sketchTokens as first written.
func sketchTokensOld(text string) []string {
	s := strings.ToLower(norm.NFKC.String(text))
	var tokens []string
	start := -1
	for i, r := range s {
		switch {
		case isCharToken(r):
			if start >= 0 {
				tokens = append(tokens, s[start:i])
				start = -1
			}
			tokens = append(tokens, string(r))
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

// TestCopyPairs checks that copyPairs finds the pairs CopyIndex reports
// when the sketches are added in order: copies of several originals,
// sketches that share bands but fall short of CopyThreshold, unrelated
// ones and empty ones.
func TestCopyPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var sks []Sketch
	random := func() Sketch {
		var s Sketch
		for i := range s {
			s[i] = rng.Uint32()
		}
		return s
	}
	for i := range 400 {
		switch {
		case i%50 == 7:
			sks = append(sks, Sketch{}) // empty
		case i > 0 && i%3 == 0:
			// Like an earlier sketch in a share of its slots, from a few
			// (shares a band, not a copy) to nearly all (a copy).
			s := sks[rng.IntN(len(sks))]
			keep := rng.IntN(SketchSize + 1)
			for j := keep; j < SketchSize; j++ {
				s[j] = rng.Uint32()
			}
			sks = append(sks, s)
		default:
			sks = append(sks, random())
		}
	}
	ptrs := make([]*Sketch, len(sks))
	for i := range sks {
		ptrs[i] = &sks[i]
	}
	var want [][2]int32
	ix := NewCopyIndex()
	for i, s := range sks {
		for _, other := range ix.Add(strconv.Itoa(i), s) {
			j, _ := strconv.Atoi(other)
			want = append(want, [2]int32{int32(j), int32(i)})
		}
	}
	slices.SortFunc(want, func(a, b [2]int32) int {
		if a[0] != b[0] {
			return int(a[0] - b[0])
		}
		return int(a[1] - b[1])
	})
	got := copyPairs(ptrs)
	if len(want) < 20 {
		t.Fatalf("the test's sketches make %d copy pairs: too few to compare", len(want))
	}
	if !slices.Equal(got, want) {
		t.Errorf("copyPairs: got %d pairs %v\nwant %d (CopyIndex): %v", len(got), got, len(want), want)
	}
}

// BenchmarkCopyPairs is BenchmarkCopyIndex's sketches, every pair at once.
func BenchmarkCopyPairs(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		rng := rand.New(rand.NewPCG(1, 2))
		sketches := make([]*Sketch, n)
		for i := range sketches {
			sketches[i] = new(Sketch)
			for j := range sketches[i] {
				sketches[i][j] = rng.Uint32()
			}
		}
		b.Run(fmt.Sprintf("sources=%d", n), func(b *testing.B) {
			for b.Loop() {
				copyPairs(sketches)
			}
		})
	}
}
