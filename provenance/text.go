package provenance

import (
	"fmt"
	"unicode/utf8"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

// Text is a source's normalized text prepared for checking many anchors
// against it: the byte offset of every code point is computed once, so
// each check costs the length of its quote, not of the text.
type Text struct {
	s    string
	offs []int32 // offs[i] is the byte offset of code point i; offs[n] = len(s)
}

// NewText prepares the normalized text s.
func NewText(s string) *Text {
	offs := make([]int32, 0, utf8.RuneCountInString(s)+1)
	for i := range s {
		offs = append(offs, int32(i))
	}
	return &Text{s: s, offs: append(offs, int32(len(s)))}
}

// Verify is the package's Verify on a prepared text.
func (t *Text) Verify(a events.Anchor, digest events.Digest) error {
	if a.Digest != digest {
		return fmt.Errorf("%w: the anchor is in %s, the source is %s", ErrDigestMismatch, a.Digest, digest)
	}
	if a.Normalization != sources.NormalizationVersion {
		return fmt.Errorf("%w: the anchor was made with normalization v%d, this program uses v%d; anchor the quote again",
			ErrNormalizationVersion, a.Normalization, sources.NormalizationVersion)
	}
	p, total := a.Position, len(t.offs)-1
	if a.Quote.Exact == "" {
		return fmt.Errorf("%w: the anchor has an empty quote", ErrAnchorMoved)
	}
	if p.Start < 0 || p.Start > p.End || p.End > total {
		return fmt.Errorf("%w: position %d-%d is outside the text of %d code points", ErrAnchorMoved, p.Start, p.End, total)
	}
	at := func(cp int) int { return int(t.offs[min(max(cp, 0), total)]) }
	if got := t.s[at(p.Start):at(p.End)]; got != a.Quote.Exact {
		msg := fmt.Sprintf("code points %d-%d are %q, not the quote %q", p.Start, p.End, got, a.Quote.Exact)
		if occ := occurrences(t.s, a.Quote.Exact); len(occ) > 0 {
			msg += fmt.Sprintf(" (the quote is at %d-%d)", occ[0].start, occ[0].end)
		}
		return fmt.Errorf("%w: %s", ErrAnchorMoved, msg)
	}
	if got := t.s[at(p.Start-ContextLen):at(p.Start)]; got != a.Quote.Prefix {
		return fmt.Errorf("%w: the text before code point %d is %q, not %q", ErrAnchorMoved, p.Start, got, a.Quote.Prefix)
	}
	if got := t.s[at(p.End):at(p.End+ContextLen)]; got != a.Quote.Suffix {
		return fmt.Errorf("%w: the text after code point %d is %q, not %q", ErrAnchorMoved, p.End, got, a.Quote.Suffix)
	}
	return nil
}
