package provenance_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// Words for generated texts; the texts repeat them at random, so that many
// windows share n-grams with any quote, which is the hard case for the
// closest-passage search.
var (
	englishWords = strings.Fields(`the a of and to in on for with by from at that was were is
		said council board harbour minister network meeting agreement technology protection
		security cooperation summit first second third launched established month year
		April August Tuesday Thursday report officials according agency government plan
		export control semiconductor research partners trilateral dialogue policy`)
	japaneseWords = strings.Fields(`は が を に の と で も から まで へ
		会議 協力 技術 保護 政府 経済 安全 保障 首脳 会談 合意 発表 開催 強化 輸出 管理
		半導体 研究 委員会 大臣 日米韓 ネットワーク サイバー データ 年 月 日 第 回 。 、`)
)

// generate returns a text of about size bytes of words, in sentences, and
// the same text normalized.
func generate(words []string, sep string, size int, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, seed))
	var b strings.Builder
	for b.Len() < size {
		n := 5 + rng.IntN(15)
		for i := range n {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(words[rng.IntN(len(words))])
		}
		b.WriteString(". ")
	}
	return sources.Normalize(b.String())
}

// nearMiss returns a passage of about n code points at code point at of
// text, and the passage with its middle code point replaced by c.
func nearMiss(text string, at, n int, c rune) (passage, quote string) {
	r := []rune(text)
	p := []rune(sources.Normalize(string(r[at : at+n])))
	passage = string(p)
	p[len(p)/2] = c
	return passage, string(p)
}

func TestQuoteNotFoundLargeText(t *testing.T) {
	tests := []struct {
		name string
		text string
		n    int
		c    rune
	}{
		{"ClosestEnglish200KB", generate(englishWords, " ", 200_000, 1), 80, 'X'},
		{"ClosestJapanese5KB", generate(japaneseWords, "", 5_000, 2), 25, '誤'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			total := utf8.RuneCountInString(tt.text)
			for _, at := range []int{0, total / 3, total * 2 / 3, total - tt.n - 1} {
				passage, quote := nearMiss(tt.text, at, tt.n, tt.c)
				_, err := provenance.Anchor(events.Digest{}, tt.text, quote, provenance.Context{})
				var nf *provenance.QuoteNotFoundError
				if !errors.As(err, &nf) {
					t.Fatalf("Anchor(%q) error = %v, want a *QuoteNotFoundError", quote, err)
				}
				if got, want := nf.Closest, passage; got != want {
					t.Errorf("Closest = %q, want %q", got, want)
				}
			}
		})
	}
}

// BenchmarkQuoteNotFound measures Anchor on a quote with one changed code
// point, which runs the closest-passage search.
func BenchmarkQuoteNotFound(b *testing.B) {
	for _, bc := range []struct {
		lang  string
		words []string
		sep   string
		c     rune
	}{
		{"English", englishWords, " ", 'X'},
		{"Japanese", japaneseWords, "", '誤'},
	} {
		for _, size := range []int{5_000, 50_000, 200_000} {
			for _, n := range []int{30, 150, 1000} {
				text := generate(bc.words, bc.sep, size, 3)
				total := utf8.RuneCountInString(text)
				if n > total/2 {
					continue
				}
				_, quote := nearMiss(text, total*2/3, n, bc.c)
				b.Run(fmt.Sprintf("%s/text=%dKB/quote=%d", bc.lang, size/1000, n), func(b *testing.B) {
					for b.Loop() {
						_, err := provenance.Anchor(events.Digest{}, text, quote, provenance.Context{})
						if !errors.Is(err, provenance.ErrQuoteNotFound) {
							b.Fatalf("Anchor error = %v, want ErrQuoteNotFound", err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkAnchor measures Anchor on a quote that is in the text.
func BenchmarkAnchor(b *testing.B) {
	for _, size := range []int{5_000, 200_000} {
		text := generate(englishWords, " ", size, 4)
		r := []rune(text)
		quote := string(r[len(r)*2/3 : len(r)*2/3+80])
		b.Run(fmt.Sprintf("text=%dKB", size/1000), func(b *testing.B) {
			for b.Loop() {
				if _, err := provenance.Anchor(events.Digest{}, text, quote, provenance.Context{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
