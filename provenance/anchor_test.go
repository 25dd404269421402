package provenance_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// mustText returns the normalized text of raw.
func mustText(tb testing.TB, raw string) (events.Digest, string) {
	tb.Helper()
	text, err := sources.Text([]byte(raw))
	if err != nil {
		tb.Fatalf("sources.Text(%q) error = %v", raw, err)
	}
	return events.DigestOf([]byte(raw)), text
}

// runeSlice returns the code points start to end of s.
func runeSlice(s string, start, end int) string {
	r := []rune(s)
	if start < 0 || end > len(r) || start > end {
		return "<out of range>"
	}
	return string(r[start:end])
}

const english = "The harbour board met on Tuesday.\r\n\r\n" +
	"\u201cWe will not raise the fees,\u201d the chair said \u2014 for now.\n" +
	"The board\u2019s next meeting is in May.\n" +
	"The fees were last raised in 2019. The fees were last raised in 2019.\n"

const japanese = "港湾局は火曜日に会合を開いた。\n" +
	"委員長は「料金は上げない」と述べた。\u3000次回の会合は５月に開く。\n" +
	"料金は上げない。料金は上げない。"

func TestAnchor(t *testing.T) {
	enDigest, enText := mustText(t, english)
	jaDigest, jaText := mustText(t, japanese)
	tests := []struct {
		name      string
		digest    events.Digest
		text      string
		quote     string
		ctx       provenance.Context
		wantExact string
		wantStart int
		wantOcc   int
	}{
		{
			name: "OK", digest: enDigest, text: enText,
			quote: "met on Tuesday", wantExact: "met on Tuesday", wantStart: 18, wantOcc: 1,
		},
		{
			name: "OKStraightQuotesMatchCurly", digest: enDigest, text: enText,
			quote: `"We will not raise the fees," the chair said - for now`, wantExact: `"We will not raise the fees," the chair said - for now`, wantStart: 34, wantOcc: 1,
		},
		{
			name: "OKCurlyQuoteNormalized", digest: enDigest, text: enText,
			quote: "The board\u2019s next", wantExact: "The board's next", wantStart: 90, wantOcc: 1,
		},
		{
			name: "OKWhiteSpaceInQuoteFolded", digest: enDigest, text: enText,
			quote: "  Tuesday.\n\n\u201cWe ", wantExact: `Tuesday. "We`, wantStart: 25, wantOcc: 1,
		},
		{
			name: "OKFirstOfTwo", digest: enDigest, text: enText,
			quote: "last raised in 2019", wantExact: "last raised in 2019", wantStart: 140, wantOcc: 2,
		},
		{
			name: "OKPrefixPicksSecond", digest: enDigest, text: enText,
			quote: "The fees were", ctx: provenance.Context{Prefix: "in 2019."},
			wantExact: "The fees were", wantStart: 161, wantOcc: 2,
		},
		{
			name: "OKSuffixPicksFirst", digest: enDigest, text: enText,
			quote: "last raised in", ctx: provenance.Context{Suffix: "2019. The"},
			wantExact: "last raised in", wantStart: 140, wantOcc: 2,
		},
		{
			name: "OKJapaneseCodePoints", digest: jaDigest, text: jaText,
			quote: "「料金は上げない」", wantExact: "「料金は上げない」", wantStart: 20, wantOcc: 1,
		},
		{
			name: "OKJapaneseFullWidthDigitTypedHalfWidth", digest: jaDigest, text: jaText,
			quote: "次回の会合は5月", wantExact: "次回の会合は5月", wantStart: 35, wantOcc: 1,
		},
		{
			name: "OKJapaneseThirdByPrefix", digest: jaDigest, text: jaText,
			quote: "料金は上げない", ctx: provenance.Context{Prefix: "上げない。"},
			wantExact: "料金は上げない", wantStart: 56, wantOcc: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := provenance.Anchor(tt.digest, tt.text, tt.quote, tt.ctx)
			if err != nil {
				t.Fatalf("Anchor(%q) error = %v, want nil", tt.quote, err)
			}
			if got, want := a.Quote.Exact, tt.wantExact; got != want {
				t.Errorf("Exact = %q, want %q", got, want)
			}
			wantPos := events.TextPositionSelector{Start: tt.wantStart, End: tt.wantStart + utf8.RuneCountInString(tt.wantExact)}
			if got, want := a.Position, wantPos; got != want {
				t.Errorf("Position = %+v, want %+v", got, want)
			}
			if got, want := runeSlice(tt.text, a.Position.Start, a.Position.End), a.Quote.Exact; got != want {
				t.Errorf("text at Position = %q, want %q", got, want)
			}
			if got, want := a.Occurrences, tt.wantOcc; got != want {
				t.Errorf("Occurrences = %d, want %d", got, want)
			}
			if got, want := a.Digest, tt.digest; got != want {
				t.Errorf("Digest = %v, want %v", got, want)
			}
			if got, want := a.Normalization, sources.NormalizationVersion; got != want {
				t.Errorf("Normalization = %d, want %d", got, want)
			}
			wantPrefix := runeSlice(tt.text, max(0, a.Position.Start-provenance.ContextLen), a.Position.Start)
			if got, want := a.Quote.Prefix, wantPrefix; got != want {
				t.Errorf("Prefix = %q, want %q", got, want)
			}
			n := utf8.RuneCountInString(tt.text)
			wantSuffix := runeSlice(tt.text, a.Position.End, min(n, a.Position.End+provenance.ContextLen))
			if got, want := a.Quote.Suffix, wantSuffix; got != want {
				t.Errorf("Suffix = %q, want %q", got, want)
			}
			if err := provenance.Verify(a, tt.digest, tt.text); err != nil {
				t.Errorf("Verify error = %v, want nil", err)
			}
		})
	}
}

func TestAnchorErrors(t *testing.T) {
	digest, text := mustText(t, english)
	tests := []struct {
		name    string
		quote   string
		ctx     provenance.Context
		wantErr error
	}{
		{"ErrQuoteTooShortOneCharacter", "T", provenance.Context{}, provenance.ErrQuoteTooShort},
		{"ErrQuoteTooShortTwoCharacters", "Th", provenance.Context{}, provenance.ErrQuoteTooShort},
		{"ErrQuoteTooShortAfterNormalization", " \u00a0M\u200b\u2014 ", provenance.Context{}, provenance.ErrQuoteTooShort},
		{"ErrQuoteTooShortEmpty", "", provenance.Context{}, provenance.ErrQuoteTooShort},
		{"ErrQuoteNotFound", "met on Wednesday", provenance.Context{}, provenance.ErrQuoteNotFound},
		{"ErrQuoteNotFoundCase", "MET ON TUESDAY", provenance.Context{}, provenance.ErrQuoteNotFound},
		{"ErrContextNotFoundPrefix", "The fees were", provenance.Context{Prefix: "in 2020."}, provenance.ErrContextNotFound},
		{"ErrContextNotFoundSuffix", "met on Tuesday", provenance.Context{Suffix: "evening"}, provenance.ErrContextNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := provenance.Anchor(digest, text, tt.quote, tt.ctx)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Anchor(%q) error = %v, want %v", tt.quote, err, tt.wantErr)
			}
		})
	}
}

func TestQuoteNotFoundError(t *testing.T) {
	enDigest, enText := mustText(t, english)
	jaDigest, jaText := mustText(t, japanese)
	tests := []struct {
		name        string
		digest      events.Digest
		text        string
		quote       string
		wantClosest string
		wantDiff    []string // each is in Diff
	}{
		{
			name: "TypoEnglish", digest: enDigest, text: enText,
			quote:       "We will not riase the fees",
			wantClosest: "We will not raise the fees",
		},
		{
			name: "ChangedWordEnglish", digest: enDigest, text: enText,
			quote:       "The board's next meeting is in June.",
			wantClosest: "The board's next meeting is in May.",
			wantDiff:    []string{"[-May-]", "{+June+}"},
		},
		{
			name: "DroppedWordEnglish", digest: enDigest, text: enText,
			quote:       "the chair said for now",
			wantClosest: "the chair said - for now",
			wantDiff:    []string{"said[- --] for"},
		},
		{
			name: "ChangedCharacterJapanese", digest: jaDigest, text: jaText,
			quote:       "港湾局は水曜日に会合を開いた",
			wantClosest: "港湾局は火曜日に会合を開いた",
			wantDiff:    []string{"港湾局は[-火-]{+水+}曜日に"},
		},
		{
			name: "ChangedWordJapanese", digest: jaDigest, text: jaText,
			quote:       "次回の会合は6月に開く",
			wantClosest: "次回の会合は5月に開く",
			wantDiff:    []string{"[-5-]{+6+}"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := provenance.Anchor(tt.digest, tt.text, tt.quote, provenance.Context{})
			var nf *provenance.QuoteNotFoundError
			if !errors.As(err, &nf) {
				t.Fatalf("Anchor(%q) error = %v, want a *QuoteNotFoundError", tt.quote, err)
			}
			if got, want := nf.Closest, tt.wantClosest; got != want {
				t.Errorf("Closest = %q, want %q", got, want)
			}
			if got, want := runeSlice(tt.text, nf.Start, nf.End), nf.Closest; got != want {
				t.Errorf("text at Start-End = %q, want Closest %q", got, want)
			}
			if nf.Similarity <= 0.5 || nf.Similarity >= 1 {
				t.Errorf("Similarity = %v, want between 0.5 and 1", nf.Similarity)
			}
			for _, want := range tt.wantDiff {
				if !strings.Contains(nf.Diff, want) {
					t.Errorf("Diff = %q, want it to contain %q", nf.Diff, want)
				}
			}
			msg := err.Error()
			for _, want := range []string{nf.Quote, nf.Closest, nf.Diff} {
				if !strings.Contains(msg, want) {
					t.Errorf("Error() = %q, want it to contain %q", msg, want)
				}
			}
			if got, want := strings.Count(msg, "\n"), 4; got < want {
				t.Errorf("Error() has %d lines, want at least %d:\n%s", got+1, want+1, msg)
			}
		})
	}
}

func TestQuoteNotFoundErrorEmptyText(t *testing.T) {
	_, err := provenance.Anchor(events.Digest{}, "", "anything", provenance.Context{})
	var nf *provenance.QuoteNotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("Anchor error = %v, want a *QuoteNotFoundError", err)
	}
	if got, want := nf.Closest, ""; got != want {
		t.Errorf("Closest = %q, want %q", got, want)
	}
	if !strings.Contains(err.Error(), "empty") {
		t.Errorf("Error() = %q, want it to say the text is empty", err)
	}
}

func TestVerify(t *testing.T) {
	digest, text := mustText(t, english)
	a, err := provenance.Anchor(digest, text, "the chair said", provenance.Context{})
	if err != nil {
		t.Fatal(err)
	}
	otherDigest, otherText := mustText(t, strings.Replace(english, "chair", "chief", 1))
	_, shiftedText := mustText(t, "Preface. "+english)
	moved := a
	moved.Position.Start++
	moved.Position.End++
	outside := a
	outside.Position.End = 10_000
	oldVersion := a
	oldVersion.Normalization = sources.NormalizationVersion - 1
	prefix := a
	prefix.Quote.Prefix = "x" + prefix.Quote.Prefix[1:]

	tests := []struct {
		name    string
		anchor  events.Anchor
		digest  events.Digest
		text    string
		wantErr error
	}{
		{"OK", a, digest, text, nil},
		{"ErrDigestMismatch", a, otherDigest, text, provenance.ErrDigestMismatch},
		{"ErrNormalizationVersion", oldVersion, digest, text, provenance.ErrNormalizationVersion},
		{"ErrAnchorMovedTamperedText", a, digest, otherText, provenance.ErrAnchorMoved},
		{"ErrAnchorMovedShiftedText", a, digest, shiftedText, provenance.ErrAnchorMoved},
		{"ErrAnchorMovedPosition", moved, digest, text, provenance.ErrAnchorMoved},
		{"ErrAnchorMovedOutside", outside, digest, text, provenance.ErrAnchorMoved},
		{"ErrAnchorMovedPrefix", prefix, digest, text, provenance.ErrAnchorMoved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := provenance.Verify(tt.anchor, tt.digest, tt.text)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify error = %v, want %v", err, tt.wantErr)
			}
		})
	}
	t.Run("ErrNormalizationVersionSaysVersion", func(t *testing.T) {
		err := provenance.Verify(oldVersion, digest, text)
		if got, want := err.Error(), "normalization v0"; !strings.Contains(got, want) {
			t.Errorf("Verify error = %q, want it to contain %q", got, want)
		}
	})
}

func TestExcerpt(t *testing.T) {
	_, text := mustText(t, japanese)
	a, err := provenance.Anchor(events.Digest{}, text, "次回の会合", provenance.Context{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                          string
		anchor                        events.Anchor
		width                         int
		wantBefore, wantQuote, wantAf string
	}{
		{"OK", a, 4, "べた。 ", "次回の会合", "は5月に"},
		{"OKZeroWidth", a, 0, "", "次回の会合", ""},
		{"OKNegativeWidth", a, -3, "", "次回の会合", ""},
		{"OKClampedToText", a, 1000, runeSlice(text, 0, a.Position.Start), "次回の会合", runeSlice(text, a.Position.End, utf8.RuneCountInString(text))},
		{"OKPositionOutsideText", events.Anchor{Position: events.TextPositionSelector{Start: 500, End: 600}}, 3, "ない。", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, quote, after := provenance.Excerpt(text, tt.anchor, tt.width)
			if before != tt.wantBefore || quote != tt.wantQuote || after != tt.wantAf {
				t.Errorf("Excerpt = %q, %q, %q, want %q, %q, %q", before, quote, after, tt.wantBefore, tt.wantQuote, tt.wantAf)
			}
		})
	}
}
