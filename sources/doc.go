// Package sources turns a source's raw bytes into a Document, and a
// Document's text into the normalized text that quotes are matched against;
// it also names sources by slug or by a DerivedID from their digest.
//
// # Basics
//
// A source is archived as its raw bytes, addressed by their SHA-256 digest
// (events.Digest). The bytes are never changed; everything else is derived
// from them, deterministically, so it can be derived again later:
//
//	doc, err := sources.Extract(raw) // plain text or HTML reduced to text
//	text := sources.Normalize(doc.Text)
//
// or in one step, sources.Text(raw). Extract refuses binary content
// (ErrBinary: NUL bytes, invalid UTF-8, a known binary signature such as a
// PDF, PNG or ZIP header) and content with no text (ErrEmpty).
//
// Normalize is a versioned procedure (NormalizationVersion): Unicode NFKC,
// curly quotes and primes to straight ones, dashes to "-", no-break and
// other spaces to a plain space, zero-width characters removed, runs of
// white space folded to one space, the ends trimmed. A quote typed with
// straight quotes and plain hyphens therefore matches a source that uses
// curly quotes and em dashes. Normalize is idempotent.
//
// A source id is either a slug chosen by the archivist (ValidSlug) or
// derived from the digest of the bytes (DerivedID).
//
// Add archives a source inside a write transaction of the log: the bytes go
// to the blob store under their digest and a source.archived event records
// the Meta (id, title, publisher, language, publication and retrieval
// times, translation-of). The same bytes again add nothing. Lookup finds a
// source by id, StoredText derives its normalized text again from the
// stored bytes, and PublicationAnchor gives the time relative dates in it
// are resolved against, in the source's own zone.
//
// # Caveats
//
// Offsets into the normalized text (see package provenance) are only
// meaningful for the NormalizationVersion they were made with. Any change to
// the rules, including a new Unicode version in golang.org/x/text that
// changes NFKC for newly assigned characters, must bump NormalizationVersion
// so that stored anchors are re-checked instead of silently drifting.
//
// Extract handles UTF-8 only. Text in another encoding (Shift_JIS, EUC-KR,
// UTF-16) is refused as ErrBinary with the offset of the first invalid byte;
// convert it to UTF-8 before archiving. HTML is reduced to its visible text:
// no layout, no alt text, no text from scripts or styles.
//
// Normalize does not fold case and does not touch Japanese or Chinese
// punctuation (、。「」『』〜), the katakana long vowel mark (ー) or
// guillemets («»): a quote must reproduce those as the source has them.
package sources
