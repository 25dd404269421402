package events

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
)

// Problem is one integrity failure found by verification.
type Problem struct {
	Revision Revision `json:"revision,omitempty"`
	Source   SourceID `json:"source,omitempty"`
	Claim    ClaimID  `json:"claim,omitempty"`
	Message  string   `json:"message"`
}

func (p Problem) String() string {
	switch {
	case p.Claim != "":
		return fmt.Sprintf("revision %d, claim %s: %s", p.Revision, p.Claim, p.Message)
	case p.Source != "":
		return fmt.Sprintf("revision %d, source %s: %s", p.Revision, p.Source, p.Message)
	case p.Revision != 0:
		return fmt.Sprintf("revision %d: %s", p.Revision, p.Message)
	}
	return p.Message
}

// ChainReport is what VerifyChain found.
type ChainReport struct {
	Events   int
	Head     Revision
	Problems []Problem
}

// VerifyChain walks the whole log in order and checks that revisions are
// gap-free, each record decodes, each event's previous hash is the hash of
// the event before it, and each stored hash equals the hash recomputed from
// the event's content. fn, when not nil, sees every event that decoded.
//
// After a broken link the walk goes on with the stored hash, so one edited
// event is reported once rather than as a cascade.
func (tx *Tx) VerifyChain(fn func(Event) error) (ChainReport, error) {
	return tx.verifyChain(fn, Decode)
}

// VerifyChainBorrowed is VerifyChain without a copy of each record: the
// Payload of an event fn sees is the stored record's own bytes, valid
// only until fn returns and never to be modified, so fn copies what it
// keeps. A walk that keeps few of the payloads is spared a copy of every
// record.
func (tx *Tx) VerifyChainBorrowed(fn func(Event) error) (ChainReport, error) {
	var d borrowingDecoder
	return tx.verifyChain(fn, d.decode)
}

// verifyChain is VerifyChain, decoding each record with decode.
func (tx *Tx) verifyChain(fn func(Event) error, decode func([]byte) (Event, error)) (ChainReport, error) {
	var r ChainReport
	var prev Digest
	want := Revision(1)
	h := sha256.New()
	var sum Digest
	c := tx.btx.Bucket(bucketLog).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		r.Events++
		if len(k) != 8 {
			r.Problems = append(r.Problems, Problem{Message: fmt.Sprintf("log key %x is not a revision", k)})
			continue
		}
		key := keyRev(k)
		if key != want {
			if key > want {
				r.Problems = append(r.Problems, Problem{Revision: want, Message: fmt.Sprintf("revisions %d to %d are missing: events were removed", want, key-1)})
			} else {
				r.Problems = append(r.Problems, Problem{Revision: key, Message: "revision out of order"})
			}
		}
		want = key + 1
		r.Head = key
		e, err := decode(v)
		if err != nil {
			r.Problems = append(r.Problems, Problem{Revision: key, Message: fmt.Sprintf("record does not decode: %v", err)})
			if len(v) >= 65 {
				copy(prev[:], v[33:65])
			}
			continue
		}
		if e.Revision != key {
			r.Problems = append(r.Problems, Problem{Revision: key, Message: fmt.Sprintf("record stored at revision %d says it is revision %d: events were moved or reordered", key, e.Revision)})
		}
		if e.Prev != prev {
			r.Problems = append(r.Problems, Problem{Revision: key, Message: "previous-hash link is broken: the event before it was changed, removed or reordered"})
		}
		// The stored body is exactly what the hash was computed over
		// (hashOf, with one hasher for the whole walk).
		h.Reset()
		h.Write(e.Prev[:])
		h.Write(v[65:])
		if h.Sum(sum[:0]); sum != e.Hash {
			r.Problems = append(r.Problems, Problem{Revision: key, Message: "hash does not match the content: the event was modified after it was written"})
		}
		if !e.Type.Known() {
			r.Problems = append(r.Problems, Problem{Revision: key, Message: fmt.Sprintf("unknown event type %q", e.Type)})
		}
		prev = e.Hash
		if fn != nil {
			if err := fn(e); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

// borrowingDecoder is Decode for VerifyChainBorrowed: the same checks and
// errors, but the payload is not copied, a known type is the package's
// constant and an author equal to the one before is the same string, so
// that a record costs no allocation.
type borrowingDecoder struct {
	author string
}

func (d *borrowingDecoder) decode(rec []byte) (Event, error) {
	e, typ, author, payload, err := parseRecord(rec)
	if err != nil {
		return e, err
	}
	e.Type = knownType(typ)
	if string(author) != d.author {
		d.author = string(author)
	}
	e.Author = d.author
	e.Payload = json.RawMessage(payload[:len(payload):len(payload)])
	return e, nil
}

// knownType returns the Type of b, without an allocation when it is one
// of the known types.
func knownType(b []byte) Type {
	switch string(b) {
	case string(TypeSourceArchived):
		return TypeSourceArchived
	case string(TypePredicateDefined):
		return TypePredicateDefined
	case string(TypeClaimAsserted):
		return TypeClaimAsserted
	case string(TypeClaimRetracted):
		return TypeClaimRetracted
	case string(TypeAliasDeclared):
		return TypeAliasDeclared
	case string(TypeVerdictRecorded):
		return TypeVerdictRecorded
	case string(TypeSourceEdited):
		return TypeSourceEdited
	}
	return Type(b)
}

// VerifyBlob re-hashes the stored bytes of a source (fixity). It returns a
// problem message, or "" when the bytes are intact.
func (tx *Tx) VerifyBlob(d Digest) string {
	_, msg := tx.BorrowVerifiedBlob(d)
	return msg
}

// BorrowVerifiedBlob is VerifyBlob that also returns the stored bytes when
// they are intact (nil when they are not). The bytes are the
// transaction's own, not a copy: they stay valid until the transaction
// ends (a writable one: until it next writes) and must never be modified.
// Other goroutines may read them while they are valid.
func (tx *Tx) BorrowVerifiedBlob(d Digest) (b []byte, problem string) {
	v := tx.btx.Bucket(bucketBlobs).Get(d[:])
	if v == nil {
		return nil, "the source's bytes are missing from the archive"
	}
	if got := DigestOf(v); !bytes.Equal(got[:], d[:]) {
		return nil, fmt.Sprintf("the stored bytes hash to %s, not %s: they were altered", got, d)
	}
	return v, ""
}
