package events

// ClaimQuote is what verification checks of a claim.asserted payload: the
// claim, the source it cites and its quote anchor.
type ClaimQuote struct {
	ID     ClaimID
	Source SourceID
	Quote  Anchor
}

// DecodeClaimQuote reads the ClaimQuote of a claim.asserted payload in the
// form the log writes, the grammar Event.Decode reads it with (see
// jsondec.go), keeping only those three. ok is false for
// any other payload, valid or not: the caller then uses Event.Decode,
// which also reports a payload that does not decode. When ok is true,
// Event.Decode succeeds on the payload and returns a claim with this ID,
// Source and Quote (TestDecodeClaimQuote compares the two).
//
// The strings of q are substrings of payload, but for strings with escapes.
func DecodeClaimQuote(payload string) (q ClaimQuote, ok bool) {
	// The grammar of Event.Decode (jsondec.go); p does not escape, and its
	// strings are substrings of payload.
	r := jsonReader{s: payload, ok: true}
	var p ClaimAsserted
	r.claim(&p)
	if !r.end() {
		return ClaimQuote{}, false
	}
	return ClaimQuote{ID: p.ID, Source: p.Source, Quote: p.Quote}, true
}

// DecodeSourceDigest reads the ID and Digest of a source.archived payload
// in the form the log writes, with the grammar Event.Decode reads it with
// (see jsondec.go), keeping only those two.
// ok is false for any other payload, valid or not: the caller then uses
// Event.Decode, which also reports a payload that does not decode. When ok
// is true, Event.Decode succeeds on the payload and returns a source with
// this ID and Digest (TestDecodeSourceDigest compares the two).
func DecodeSourceDigest(payload []byte) (id SourceID, d Digest, ok bool) {
	// The grammar of Event.Decode (jsondec.go).
	r := jsonReader{s: string(payload), ok: true}
	var p SourceArchived
	r.source(&p)
	if !r.end() {
		return "", Digest{}, false
	}
	return p.ID, p.Digest, true
}
