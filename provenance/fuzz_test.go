package provenance_test

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

func FuzzAnchor(f *testing.F) {
	f.Add("The harbour board met on Tuesday.", "met on Tuesday", "", "")
	f.Add("The harbour board met on Tuesday.", "met on Wednesday", "", "")
	f.Add("aaaa aaaa", "aaa", "a", "")
	f.Add("料金は上げない。料金は上げない。", "料金は上げない", "。", "")
	f.Add("港湾局は火曜日に会合を開いた。", "港湾局は水曜日に", "", "")
	f.Add("\u201cquoted\u201d \u2014 text", `"quoted" - text`, "", "")
	f.Add("x\xe3\x81abc\xffabc", "abc", "\xff", "")
	f.Add("", "abc", "", "")
	f.Add("ab", "abcdef", "", "")
	f.Fuzz(func(t *testing.T, text, quote, prefix, suffix string) {
		for _, text := range []string{text, sources.Normalize(text)} {
			digest := events.DigestOf([]byte(text))
			a, err := provenance.Anchor(digest, text, quote, provenance.Context{Prefix: prefix, Suffix: suffix})
			var nf *provenance.QuoteNotFoundError
			switch {
			case err == nil:
				r := []rune(text)
				if a.Position.Start < 0 || a.Position.End > len(r) || a.Position.Start > a.Position.End {
					t.Fatalf("Position = %+v, want within the text of %d code points", a.Position, len(r))
				}
				if got, want := string(r[a.Position.Start:a.Position.End]), a.Quote.Exact; got != want {
					t.Fatalf("text at Position = %q, want Exact %q", got, want)
				}
				if got, want := a.Quote.Exact, sources.Normalize(quote); got != want {
					t.Fatalf("Exact = %q, want %q", got, want)
				}
				if a.Occurrences < 1 {
					t.Fatalf("Occurrences = %d, want at least 1", a.Occurrences)
				}
				if err := provenance.Verify(a, digest, text); err != nil {
					t.Fatalf("Verify error = %v, want nil", err)
				}
			case errors.As(err, &nf):
				r := []rune(text)
				if nf.Start < 0 || nf.End > len(r) || nf.Start > nf.End {
					t.Fatalf("closest passage %d-%d, want within the text of %d code points", nf.Start, nf.End, len(r))
				}
				if got, want := string(r[nf.Start:nf.End]), nf.Closest; got != want {
					t.Fatalf("text at %d-%d = %q, want Closest %q", nf.Start, nf.End, got, want)
				}
				if nf.Similarity < 0 || nf.Similarity > 1 {
					t.Fatalf("Similarity = %v, want within [0, 1]", nf.Similarity)
				}
				if !utf8.ValidString(nf.Diff) {
					t.Fatalf("Diff = %q, want valid UTF-8", nf.Diff)
				}
				_ = nf.Error()
				// In a text hardly longer than the quote, every passage is
				// searched: the closest one must have the least distance.
				q := []rune(nf.Quote)
				if len(r) <= len(q)+4 && len(r) <= 40 && len(q) <= 40 {
					if got, want := levenshtein([]rune(nf.Closest), q), leastDistance(r, q); got != want {
						t.Fatalf("Closest %q is %d edits from the quote %q, want the least, %d", nf.Closest, got, nf.Quote, want)
					}
				}
			case errors.Is(err, provenance.ErrQuoteTooShort), errors.Is(err, provenance.ErrContextNotFound):
			default:
				t.Fatalf("Anchor error = %v, want nil or a known error", err)
			}
		}
	})
}

// levenshtein returns the edit distance between a and b.
func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := range a {
		cur := make([]int, len(b)+1)
		cur[0] = i + 1
		for j := range b {
			cost := 1
			if a[i] == b[j] {
				cost = 0
			}
			cur[j+1] = min(prev[j]+cost, prev[j+1]+1, cur[j]+1)
		}
		prev = cur
	}
	return prev[len(b)]
}

// leastDistance returns the least edit distance between q and a substring
// of text, by trying them all.
func leastDistance(text, q []rune) int {
	least := len(q)
	for i := range text {
		for j := i + 1; j <= len(text); j++ {
			least = min(least, levenshtein(text[i:j], q))
		}
	}
	return least
}
