// Package events is Sillok's domain root: there are only a few nouns here,
// the Event (an envelope around a typed Payload), the Revision that orders
// events, the Log that appends and reads them in a bbolt file, and the value
// types claims carry (Date, Quantity).
//
// # Basics
//
// Every change to an archive is an event appended to one log. Nothing is
// updated or deleted in place: a correction is a new event. An event is
//
//	revision     1-based, gap-free, global order
//	type         source.archived, predicate.defined, claim.asserted,
//	             claim.retracted, alias.declared, verdict.recorded,
//	             source.edited (a correction of a source's metadata)
//	recorded-at  UTC, one timestamp per transaction (Options.Now)
//	author       who appended it
//	payload      compact JSON of the type's payload struct
//	prev         the hash of the event before it (zero for revision 1)
//	hash         SHA-256(prev || body), body as below
//
// Log.Update runs a function in one bbolt read-write transaction; every
// event it appends with Tx.Append lands, durably (fsync on commit), or none
// does. Log.View gives a consistent read-only snapshot.
//
// # Record encoding
//
// The log bucket maps an 8-byte big-endian revision to a record:
//
//	offset 0   1 byte    record version, 1
//	offset 1   32 bytes  prev hash
//	offset 33  32 bytes  hash
//	offset 65  body:
//	           uvarint   revision (repeats the key, so a moved record is detected)
//	           varint    recorded-at, Unix nanoseconds
//	           uvarint n, n bytes  type
//	           uvarint n, n bytes  author
//	           uvarint n, n bytes  payload (JSON)
//
// The hash is SHA-256 over the 32 bytes of prev followed by the body, so it
// covers everything but itself. Payload JSON is what encoding/json produces
// from the typed payload (fields in declaration order, no HTML escaping), and
// the stored bytes, not a re-encoding, are what is hashed. (Append writes it
// with a hand-written encoder, jsonenc.go, which tests hold to encoding/json
// byte for byte. Its pair, one grammar per payload type in jsondec.go, is
// how every reader reads a payload: Event.Decode, and verification's
// DecodeClaimQuote and DecodeSourceDigest, which keep only a few fields.
// A payload not in that form, even valid JSON, was not written by Append:
// Decode refuses it as a corrupt record. Tests hold the grammars to
// encoding/json, the reference, on written, damaged and altered forms.)
//
// # Bucket layout
//
//	meta                     archive header
//	  "magic"   → "sillok archive"
//	  "format"  → uvarint FormatVersion (1)
//	log                      8-byte BE revision → record (above)
//	blobs                    32-byte SHA-256 → the raw bytes of a source
//	index                    keys that must be unique, each → 8-byte BE
//	                         revision of the event that introduced it
//	  "source-digest"  32-byte digest
//	  "source-id"      source slug
//	  "claim"          claim id
//	  "predicate"      predicate name
//	  "alias"          name NUL entity NUL alias kind
//	  "source-edit"    source slug NUL 4-byte BE edit number (1, 2, ...);
//	                   created by the first write of a program that knows
//	                   it, so an older archive may not have it yet
//
// Other packages keep their own top-level buckets in the same file (see
// package projections); this package never reads them.
//
// # Caveats
//
// A transaction belongs to the goroutine that runs it: Tx.Append encodes,
// hashes and puts on the caller's goroutine, and nothing read from a
// transaction is used by another goroutine after the transaction ends.
//
// A damaged file is reported as a *DamagedError (ErrDamaged): Open checks
// the meta pages, that the file is as long as they say, and the freelist
// page; Log.View and Log.Update turn a fault reading the mapped file, and
// a panic of bbolt's on a page it cannot make sense of, into the error.
//
// Byte slices read from bbolt are valid only inside their transaction:
// Decode and Tx.Blob copy them out. A file is opened with bbolt's file lock;
// a second process that cannot take it within Options.Timeout gets
// ErrInUse, never a hang. An empty file is refused rather than initialised,
// because bbolt would silently turn it into a database.
package events
