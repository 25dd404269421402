// Package provenance anchors a quote in a source's normalized text as an
// events.Anchor, verifies an Anchor later, and explains a quote that is not
// in the source with a QuoteNotFoundError.
//
// # Basics
//
// A claim cites its source with the exact words that make it. Anchor finds
// those words in the source's normalized text (sources.Text) and records
// where they are, as a W3C Web Annotation TextQuoteSelector (the exact
// words with up to 32 code points of context on each side) and a
// TextPositionSelector (offsets in Unicode code points, not bytes), together
// with the digest of the source bytes and the normalization version:
//
//	text, err := sources.Text(raw)
//	a, err := provenance.Anchor(events.DigestOf(raw), text, quote, provenance.Context{})
//
// The quote is normalized first, so a quote typed with straight quotes and
// plain hyphens matches a source that has curly quotes and dashes. A quote
// that occurs more than once anchors at its first occurrence unless a
// Context (words just before or just after) picks another one.
//
// A quote that is not in the text gets a *QuoteNotFoundError naming the
// closest passage of the text and a character diff between the two. The
// closest passage is found without go-diff's MatchMain (which works on bytes
// and cannot handle patterns longer than 64 bytes): windows of the text are
// ranked by the character n-grams they share with the quote, and the best
// few are refined by an edit-distance alignment over code points.
//
// Verify re-checks an anchor against the text derived again from the stored
// bytes; Excerpt shows the quote with some of its surrounding text.
//
// A Recorder turns what an archivist writes into events, inside one write
// transaction: DefinePredicate, DeclareAlias and Assert validate against the
// archive (the source exists, the predicate is in the vocabulary, the value
// fits its kind, a relative date has a publication date to resolve against,
// the quote is in the source), resolve the value, anchor the quote and
// append. The same definition, alias or claim again is a no-op; a claim id
// reused for other content is ErrClaimChanged. Claims files are parsed by
// the subpackage claimsfile.
//
// # Caveats
//
// The text passed to Anchor, Verify and Excerpt must be the normalized text
// (sources.Text), never the raw or merely extracted text: positions are
// code points of the normalized text of NormalizationVersion, and an anchor
// made under another version must be anchored again.
//
// Occurrences counts non-overlapping occurrences, scanning from the start
// (like strings.Count): "aaa" occurs once in "aaaa". A Context can only pick
// one of those occurrences.
//
// Quotes shorter than 3 code points after normalization are refused
// (ErrQuoteTooShort): they prove nothing. Matching is exact and
// case-sensitive; only the closest-passage search ignores case.
package provenance
