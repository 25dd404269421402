package provenance

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

// MinQuoteLen is the fewest code points a normalized quote may have.
const MinQuoteLen = 3

// ContextLen is how many code points of surrounding text an anchor records
// on each side of the quote, as its TextQuoteSelector's Prefix and Suffix.
const ContextLen = 32

var (
	// ErrQuoteTooShort means a quote has fewer than MinQuoteLen code points
	// after normalization.
	ErrQuoteTooShort = errors.New("quote too short")

	// ErrQuoteNotFound means a quote is not in the source text. Anchor
	// returns it as a *QuoteNotFoundError, which has the details.
	ErrQuoteNotFound = errors.New("quote not found in the source text")

	// ErrContextNotFound means a quote is in the source text, but no
	// occurrence of it has the Context asked for.
	ErrContextNotFound = errors.New("no occurrence of the quote has the given context")

	// ErrDigestMismatch means an anchor was made in a source with other
	// bytes.
	ErrDigestMismatch = errors.New("anchor digest does not match the source")

	// ErrNormalizationVersion means an anchor was made with another
	// version of the text normalization and must be anchored again.
	ErrNormalizationVersion = errors.New("anchor made with another normalization version")

	// ErrAnchorMoved means the text at an anchor's position is not its
	// quote, or its context differs.
	ErrAnchorMoved = errors.New("anchor does not match the text")
)

// Context picks one occurrence of a quote that occurs more than once: the
// first occurrence whose preceding text ends with Prefix and whose following
// text starts with Suffix. Both are normalized like the quote; a space
// between them and the quote is ignored. The zero Context picks the first
// occurrence.
type Context struct {
	Prefix string // words just before the quote
	Suffix string // words just after the quote
}

// Anchor finds quote in text, the normalized text of the source whose bytes
// have the given digest, and returns its anchor.
//
// The quote is normalized with sources.Normalize first and must then have
// at least MinQuoteLen code points (else ErrQuoteTooShort). If it occurs
// more than once, ctx picks the occurrence (else the first one is used, and
// if ctx matches none, the error wraps ErrContextNotFound). If it does not
// occur at all, the error is a *QuoteNotFoundError naming the closest
// passage.
func Anchor(digest events.Digest, text string, quote string, ctx Context) (events.Anchor, error) {
	q := sources.Normalize(quote)
	if n := utf8.RuneCountInString(q); n < MinQuoteLen {
		return events.Anchor{}, fmt.Errorf("%w: %q has %d code points after normalization, at least %d are needed to identify a passage",
			ErrQuoteTooShort, q, n, MinQuoteLen)
	}
	occ := occurrences(text, q)
	if len(occ) == 0 {
		return events.Anchor{}, notFound(text, q)
	}
	prefix, suffix := sources.Normalize(ctx.Prefix), sources.Normalize(ctx.Suffix)
	pick := -1
	for i, o := range occ {
		if hasContext(text, o, prefix, suffix) {
			pick = i
			break
		}
	}
	if pick < 0 {
		return events.Anchor{}, contextError(text, q, occ, prefix, suffix)
	}
	o := occ[pick]
	return events.Anchor{
		Digest:        digest,
		Normalization: sources.NormalizationVersion,
		Quote: events.TextQuoteSelector{
			Exact:  q,
			Prefix: before(text, o.byteStart, ContextLen),
			Suffix: after(text, o.byteEnd, ContextLen),
		},
		Position:    events.TextPositionSelector{Start: o.start, End: o.end},
		Occurrences: len(occ),
	}, nil
}

// occurrence is where a quote occurs in a text, in bytes and in code points.
type occurrence struct {
	byteStart, byteEnd int
	start, end         int
}

// occurrences returns the non-overlapping occurrences of q in text, from
// the start.
func occurrences(text, q string) []occurrence {
	var occ []occurrence
	qn := utf8.RuneCountInString(q)
	pos, runes := 0, 0 // scanned up to byte pos, which is code point runes
	for {
		i := strings.Index(text[pos:], q)
		if i < 0 {
			return occ
		}
		start := runes + utf8.RuneCountInString(text[pos:pos+i])
		o := occurrence{byteStart: pos + i, byteEnd: pos + i + len(q), start: start, end: start + qn}
		occ = append(occ, o)
		pos, runes = o.byteEnd, o.end
	}
}

// hasContext reports whether occurrence o is preceded by prefix and
// followed by suffix, ignoring one space between them and the quote.
func hasContext(text string, o occurrence, prefix, suffix string) bool {
	b := strings.TrimSuffix(text[:o.byteStart], " ")
	a := strings.TrimPrefix(text[o.byteEnd:], " ")
	return strings.HasSuffix(b, prefix) && strings.HasPrefix(a, suffix)
}

// contextError explains that no occurrence has the context asked for.
func contextError(text, q string, occ []occurrence, prefix, suffix string) error {
	var want []string
	if prefix != "" {
		want = append(want, fmt.Sprintf("preceded by %q", prefix))
	}
	if suffix != "" {
		want = append(want, fmt.Sprintf("followed by %q", suffix))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%v: the quote %q occurs %d time(s), none %s:", ErrContextNotFound, q, len(occ), strings.Join(want, " and "))
	const show = 5
	for i, o := range occ {
		if i == show {
			fmt.Fprintf(&b, "\n  ... and %d more", len(occ)-show)
			break
		}
		fmt.Fprintf(&b, "\n  code points %d-%d: ...%s[%s]%s...", o.start, o.end,
			before(text, o.byteStart, 20), q, after(text, o.byteEnd, 20))
	}
	return &contextNotFoundError{msg: b.String()}
}

// contextNotFoundError carries a message and wraps ErrContextNotFound.
type contextNotFoundError struct{ msg string }

func (e *contextNotFoundError) Error() string { return e.msg }
func (e *contextNotFoundError) Unwrap() error { return ErrContextNotFound }

// before returns up to n code points of text before byte offset i.
func before(text string, i, n int) string {
	j := i
	for k := 0; k < n && j > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(text[:j])
		j -= size
	}
	return text[j:i]
}

// after returns up to n code points of text from byte offset i.
func after(text string, i, n int) string {
	j := i
	for k := 0; k < n && j < len(text); k++ {
		_, size := utf8.DecodeRuneInString(text[j:])
		j += size
	}
	return text[i:j]
}

// byteOffsets returns the byte offsets in text of the code point offsets
// cps, which must be in ascending order; an offset past the end of text
// gives len(text), a negative one 0.
func byteOffsets(text string, cps ...int) []int {
	out := make([]int, len(cps))
	k := 0
	for k < len(cps) && cps[k] <= 0 {
		out[k] = 0
		k++
	}
	n := 0
	for i := range text {
		for k < len(cps) && cps[k] == n {
			out[k] = i
			k++
		}
		if k == len(cps) {
			return out
		}
		n++
	}
	for ; k < len(cps); k++ {
		out[k] = len(text)
	}
	return out
}

// Verify checks that anchor a holds in text, the normalized text of the
// source whose bytes have the given digest: the digest is the anchor's
// (else ErrDigestMismatch), the anchor was made with this
// NormalizationVersion (else ErrNormalizationVersion), and the code points
// at its position are its quote, with its prefix and suffix around them
// (else ErrAnchorMoved). Occurrences is not checked.
func Verify(a events.Anchor, digest events.Digest, text string) error {
	return NewText(text).Verify(a, digest)
}

// Excerpt returns the quoted passage of text at anchor a's position, with up
// to width code points of text before and after it, for showing a quote in
// its context. Positions outside the text are clamped to it.
func Excerpt(text string, a events.Anchor, width int) (before, quote, after string) {
	total := utf8.RuneCountInString(text)
	width = min(max(width, 0), total)
	start := min(max(a.Position.Start, 0), total)
	end := min(max(a.Position.End, start), total)
	off := byteOffsets(text, start-width, start, end, end+width)
	return text[off[0]:off[1]], text[off[1]:off[2]], text[off[2]:off[3]]
}
