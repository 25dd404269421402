package provenance_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// seedsDir is where the real seed articles are, beside the repository.
// Their text is read at test time only, never copied into the project.
const seedsDir = "../../shared/seeds"

type seed struct {
	name      string
	digest    events.Digest
	extracted string // sources.Extract text, not normalized
	text      string // normalized
}

// loadSeeds returns the seed articles, or skips the test if there are none.
func loadSeeds(tb testing.TB) []seed {
	tb.Helper()
	paths, _ := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	if len(paths) == 0 {
		tb.Skipf("no seed articles in %s", seedsDir)
	}
	var seeds []seed
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		doc, err := sources.Extract(raw)
		if err != nil {
			tb.Fatalf("%s: Extract error = %v", p, err)
		}
		seeds = append(seeds, seed{
			name:      filepath.Base(p),
			digest:    events.DigestOf(raw),
			extracted: doc.Text,
			text:      sources.Normalize(doc.Text),
		})
	}
	return seeds
}

// runeIndex returns the code point offset of the first occurrence of sub in
// s, or -1.
func runeIndex(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		return -1
	}
	return utf8.RuneCountInString(s[:i])
}

// isJapanese reports whether r is a Han, Hiragana or Katakana code point.
func isJapanese(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// TestAnchorSeeds anchors passages taken from each seed's normalized text
// at several places.
func TestAnchorSeeds(t *testing.T) {
	for _, s := range loadSeeds(t) {
		t.Run(s.name, func(t *testing.T) {
			r := []rune(s.text)
			for _, at := range []int{0, len(r) / 4, len(r) / 2, len(r) * 9 / 10} {
				quote := sources.Normalize(string(r[at:min(len(r), at+40)]))
				a, err := provenance.Anchor(s.digest, s.text, quote, provenance.Context{})
				if err != nil {
					t.Fatalf("Anchor(%q) error = %v, want nil", quote, err)
				}
				if got, want := a.Quote.Exact, quote; got != want {
					t.Errorf("Exact = %q, want %q", got, want)
				}
				if got, want := a.Position.Start, runeIndex(s.text, quote); got != want {
					t.Errorf("Anchor(%q) Start = %d, want %d", quote, got, want)
				}
				if got, want := string(r[a.Position.Start:a.Position.End]), quote; got != want {
					t.Errorf("text at Position = %q, want %q", got, want)
				}
				if err := provenance.Verify(a, s.digest, s.text); err != nil {
					t.Errorf("Verify error = %v, want nil", err)
				}
			}
		})
	}
}

// TestAnchorSeedsStraightQuotes retypes passages around the curly quotes
// of the seeds with straight quotes and anchors them.
func TestAnchorSeedsStraightQuotes(t *testing.T) {
	straight := strings.NewReplacer("\u2018", "'", "\u2019", "'", "\u201c", `"`, "\u201d", `"`)
	found := 0
	for _, s := range loadSeeds(t) {
		r := []rune(s.extracted)
		perSeed := 0
		for i, c := range r {
			if c != '\u2019' && c != '\u201c' && c != '\u201d' || perSeed == 3 {
				continue
			}
			perSeed++
			curly := string(r[max(0, i-15):min(len(r), i+15)])
			typed := straight.Replace(curly)
			if typed == curly || strings.ContainsAny(typed, "\u2018\u2019\u201c\u201d") {
				t.Fatalf("retyping %q gave %q", curly, typed)
			}
			found++
			t.Run(s.name, func(t *testing.T) {
				a, err := provenance.Anchor(s.digest, s.text, typed, provenance.Context{})
				if err != nil {
					t.Fatalf("Anchor(%q) error = %v, want nil (the source has %q)", typed, err, curly)
				}
				if got, want := a.Quote.Exact, sources.Normalize(curly); got != want {
					t.Errorf("Exact = %q, want %q", got, want)
				}
			})
		}
	}
	if found == 0 {
		t.Errorf("found no curly quotes in the seeds, want some")
	}
}

// TestAnchorSeedsJapaneseOffsets checks code point offsets on Japanese
// passages that come after other multi-byte text, where byte and code point
// offsets differ.
func TestAnchorSeedsJapaneseOffsets(t *testing.T) {
	tested := 0
	for _, s := range loadSeeds(t) {
		r := []rune(s.text)
		// Japanese runs of at least 8 code points, after the first 20 code
		// points of the text.
		for i := 20; i < len(r) && tested < 20; {
			j := i
			for j < len(r) && isJapanese(r[j]) {
				j++
			}
			if j-i < 8 {
				i = j + 1
				continue
			}
			quote := string(r[i:j])
			i = j
			tested++
			t.Run(s.name, func(t *testing.T) {
				a, err := provenance.Anchor(s.digest, s.text, quote, provenance.Context{})
				if err != nil {
					t.Fatalf("Anchor(%q) error = %v, want nil", quote, err)
				}
				want := runeIndex(s.text, quote)
				if got := a.Position.Start; got != want {
					t.Errorf("Start = %d, want %d (code points)", got, want)
				}
				if b := strings.Index(s.text, quote); b == a.Position.Start {
					t.Errorf("byte offset %d equals the code point offset, want a passage after multi-byte text", b)
				}
				if got, want := a.Position.End-a.Position.Start, utf8.RuneCountInString(quote); got != want {
					t.Errorf("End-Start = %d, want %d", got, want)
				}
				if got, want := string(r[a.Position.Start:a.Position.End]), a.Quote.Exact; got != want {
					t.Errorf("text[Start:End] = %q, want %q", got, want)
				}
			})
		}
	}
	if tested == 0 {
		t.Skip("no Japanese passages in the seeds")
	}
}

// TestAnchorSeedsRepeatedParagraph finds a paragraph that a seed has twice
// and checks that its anchor counts two occurrences, and that a Context
// picks the second.
func TestAnchorSeedsRepeatedParagraph(t *testing.T) {
	found := 0
	for _, s := range loadSeeds(t) {
		seen := map[string]int{}
		for _, line := range strings.Split(s.extracted, "\n") {
			if p := sources.Normalize(line); utf8.RuneCountInString(p) >= 40 {
				seen[p]++
			}
		}
		for para, n := range seen {
			if n != 2 {
				continue
			}
			found++
			t.Run(s.name, func(t *testing.T) {
				a, err := provenance.Anchor(s.digest, s.text, para, provenance.Context{})
				if err != nil {
					t.Fatalf("Anchor error = %v, want nil", err)
				}
				if got, want := a.Occurrences, 2; got != want {
					t.Errorf("Occurrences = %d, want %d", got, want)
				}
				first := runeIndex(s.text, para)
				if got, want := a.Position.Start, first; got != want {
					t.Errorf("Start = %d, want the first occurrence %d", got, want)
				}

				// The second occurrence, picked by the text before it.
				firstByte := strings.Index(s.text, para)
				secondByte := firstByte + len(para) + strings.Index(s.text[firstByte+len(para):], para)
				before := []rune(s.text[:secondByte])
				beforeFirst := strings.TrimSuffix(s.text[:firstByte], " ")
				prefix := ""
				for n := 20; n <= len(before) && (prefix == "" || strings.HasSuffix(beforeFirst, sources.Normalize(prefix))); n += 20 {
					prefix = string(before[len(before)-n:])
				}
				a2, err := provenance.Anchor(s.digest, s.text, para, provenance.Context{Prefix: prefix})
				if err != nil {
					t.Fatalf("Anchor with Prefix %q error = %v, want nil", prefix, err)
				}
				if got, want := a2.Position.Start, len(before); got != want {
					t.Errorf("Start with Prefix = %d, want the second occurrence %d", got, want)
				}
				if err := provenance.Verify(a2, s.digest, s.text); err != nil {
					t.Errorf("Verify error = %v, want nil", err)
				}
			})
		}
	}
	if found == 0 {
		t.Errorf("found no paragraph that a seed has twice, want one")
	}
}

// TestQuoteNotFoundSeeds changes one word of an English passage and one
// character of a Japanese passage of the seeds, and checks that the error
// names the original passage and shows the change.
func TestQuoteNotFoundSeeds(t *testing.T) {
	seeds := loadSeeds(t)
	t.Run("ChangedWordEnglish", func(t *testing.T) {
		tested := 0
		for _, s := range seeds {
			r := []rune(s.text)
			if len(r) < 400 || strings.IndexFunc(s.text, isJapanese) >= 0 {
				continue
			}
			// A passage of about 80 code points from word to word, in the
			// middle of the text.
			start := len(r) / 2
			for r[start-1] != ' ' {
				start++
			}
			passage := string(r[start : start+80])
			passage = passage[:strings.LastIndexByte(passage, ' ')]
			words := strings.Fields(passage)
			mid := len(words) / 2
			words[mid] = "Zq" + words[mid] + "qZ"
			quote := strings.Join(words, " ")

			_, err := provenance.Anchor(s.digest, s.text, quote, provenance.Context{})
			var nf *provenance.QuoteNotFoundError
			if !errors.As(err, &nf) {
				t.Fatalf("%s: Anchor(%q) error = %v, want a *QuoteNotFoundError", s.name, quote, err)
			}
			if got, want := nf.Closest, passage; got != want {
				t.Errorf("%s: Closest = %q, want %q", s.name, got, want)
			}
			if got, want := nf.Diff, " {+Zq+}"+strings.Fields(passage)[mid]+"{+qZ+} "; !strings.Contains(got, want) {
				t.Errorf("%s: Diff = %q, want it to contain %q", s.name, got, want)
			}
			tested++
		}
		if tested == 0 {
			t.Skip("no English seed")
		}
	})
	t.Run("ChangedCharacterJapanese", func(t *testing.T) {
		tested := 0
		for _, s := range seeds {
			r := []rune(s.text)
			// A passage of 20 code points starting in the middle of the
			// text, whose middle code point is Japanese.
			for i := len(r) / 2; i+20 < len(r) && tested < 3; i++ {
				if !isJapanese(r[i+10]) || r[i] == ' ' || r[i+19] == ' ' {
					continue
				}
				passage := string(r[i : i+20])
				q := []rune(passage)
				old := q[10]
				q[10] = '誤'
				if old == '誤' {
					q[10] = '正'
				}
				quote := string(q)
				_, err := provenance.Anchor(s.digest, s.text, quote, provenance.Context{})
				var nf *provenance.QuoteNotFoundError
				if !errors.As(err, &nf) {
					t.Fatalf("%s: Anchor(%q) error = %v, want a *QuoteNotFoundError", s.name, quote, err)
				}
				if got, want := nf.Closest, passage; got != want {
					t.Errorf("%s: Closest = %q, want %q", s.name, got, want)
				}
				if got, want := nf.Diff, "[-"+string(old)+"-]{+"+string(q[10])+"+}"; !strings.Contains(got, want) {
					t.Errorf("%s: Diff = %q, want it to contain %q", s.name, got, want)
				}
				tested++
				break
			}
		}
		if tested == 0 {
			t.Skip("no Japanese seed")
		}
	})
}
