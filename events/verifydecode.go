package events

// ClaimQuote is what verification checks of a claim.asserted payload: the
// claim, the source it cites and its quote anchor.
type ClaimQuote struct {
	ID     ClaimID
	Source SourceID
	Quote  Anchor
}

// DecodeClaimQuote reads the ClaimQuote of a claim.asserted payload in the
// form the log writes, the form Event.Decode's fast path reads (see
// jsondec.go), without decoding the rest of the claim. ok is false for
// any other payload, valid or not: the caller then uses Event.Decode,
// which also reports a payload that does not decode. When ok is true,
// Event.Decode succeeds on the payload and returns a claim with this ID,
// Source and Quote (TestDecodeClaimQuote compares the two).
//
// The strings of q are substrings of payload, but for strings with escapes.
func DecodeClaimQuote(payload string) (q ClaimQuote, ok bool) {
	// The grammar of fastClaim, keeping only the fields of q.
	r := jsonReader{s: payload, ok: true}
	r.lit(`{"id":`)
	q.ID = ClaimID(r.str())
	r.lit(`,"source":`)
	q.Source = SourceID(r.str())
	r.lit(`,"subject":`)
	r.str()
	if r.key(`,"as":`) {
		r.nonEmpty()
	}
	r.lit(`,"predicate":`)
	r.str()
	r.lit(`,"value":{"kind":`)
	r.str()
	if r.key(`,"written":`) {
		r.nonEmpty()
	}
	if r.key(`,"date":`) {
		r.nonEmpty()
	}
	if r.key(`,"anchor":`) {
		r.nonEmpty()
	}
	if r.key(`,"relation":`) {
		r.lit(`{"op":`)
		r.str()
		r.lit(`,"to":{"subject":`)
		r.str()
		r.lit(`,"predicate":`)
		r.str()
		r.lit(`}}`)
	}
	if r.key(`,"quantity":`) {
		r.nonEmpty()
	}
	if r.key(`,"entity":`) {
		r.nonEmpty()
	}
	if r.key(`,"text":`) {
		r.nonEmpty()
	}
	r.lit(`},"quote":`)
	r.anchor(&q.Quote)
	if r.key(`,"note":`) {
		r.nonEmpty()
	}
	r.lit(`}`)
	if !r.ok || r.i != len(r.s) {
		return ClaimQuote{}, false
	}
	return q, true
}

// DecodeSourceDigest reads the ID and Digest of a source.archived payload
// in the form the log writes (encoding/json's compact output of
// SourceArchived: fields in declaration order, omitempty fields left out
// when empty, no HTML escaping; see jsondec.go) without decoding the rest.
// ok is false for any other payload, valid or not: the caller then uses
// Event.Decode, which also reports a payload that does not decode. When ok
// is true, Event.Decode succeeds on the payload and returns a source with
// this ID and Digest (TestDecodeSourceDigest compares the two).
func DecodeSourceDigest(payload []byte) (id SourceID, d Digest, ok bool) {
	r := jsonReader{s: string(payload), ok: true}
	r.lit(`{"id":`)
	id = SourceID(r.str())
	r.lit(`,"digest":`)
	d = r.digest()
	r.lit(`,"size":`)
	r.int()
	r.lit(`,"media_type":`)
	r.str()
	for _, key := range []string{`,"title":`, `,"url":`, `,"publisher":`, `,"lang":`, `,"published":`,
		`,"retrieved":`, `,"translation_of":`, `,"translator":`} {
		if r.key(key) {
			r.nonEmpty()
		}
	}
	r.lit(`}`)
	if !r.ok || r.i != len(r.s) {
		return "", Digest{}, false
	}
	return id, d, true
}
