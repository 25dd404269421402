package events

import (
	"bytes"
	"fmt"

	"github.com/sillok/sillok/events/kv"
)

// RecordedError refuses an event given to AppendRecorded: it does not
// extend the log as it says it does, or it is not an event this log could
// have written. It names the event's revision.
type RecordedError struct {
	Revision Revision
	Reason   string
	Err      error
}

func (e *RecordedError) Error() string {
	return fmt.Sprintf("revision %d: %s", e.Revision, e.Reason)
}

func (e *RecordedError) Unwrap() error { return e.Err }

// AppendRecorded appends an event recorded elsewhere, as it was recorded:
// its revision, time, author, type and payload, and its hashes, all as
// given (an archive moved from another file, through a bag). It appends
// nothing, and returns a *RecordedError, unless the event is the next one
// of this log and hashes as it says: its revision follows the head, its
// Prev is the head's hash and its Hash is the hash of its previous hash
// and body. Its payload must be in the form Append writes (Event.Decode)
// and valid, its author a valid author, and the index keys it introduces
// new, as for Append; the bytes of a source it archives must be stored
// already (PutBlob), with the size it records.
//
// The returned event's Payload is the stored record's: it must not be
// modified.
func (tx *Tx) AppendRecorded(e Event) (Event, error) {
	if !tx.btx.Writable() {
		return Event{}, ErrReadOnly
	}
	refuse := func(err error, format string, args ...any) (Event, error) {
		return Event{}, &RecordedError{Revision: e.Revision, Reason: fmt.Sprintf(format, args...), Err: err}
	}
	if e.Revision != tx.head+1 {
		return refuse(ErrInvalid, "does not follow the head revision %d", tx.head)
	}
	if e.Prev != tx.headHash {
		return refuse(ErrInvalid, "its previous hash %s is not the hash of revision %d, %s: the chain is broken", e.Prev, tx.head, tx.headHash)
	}
	if h := ComputeHash(&e); h != e.Hash {
		return refuse(ErrInvalid, "its hash is %s, but it hashes to %s: the event was altered", e.Hash, h)
	}
	p, err := e.Decode()
	if err != nil {
		return refuse(Invalid(err), "%v", err)
	}
	if err := p.Validate(); err != nil {
		return refuse(Invalid(err), "the %s payload is not valid: %v", e.Type, err)
	}
	if err := validText("author", e.Author, MaxAuthorLn); err != nil {
		return refuse(err, "%v", err)
	}
	if src, ok := p.(*SourceArchived); ok {
		b := tx.btx.Bucket(bucketBlobs).Get(src.Digest[:])
		if b == nil {
			return refuse(ErrInvalid, "the bytes of source %s (%s) are not stored", src.ID, src.Digest)
		}
		if int64(len(b)) != src.Size {
			return refuse(ErrInvalid, "source %s is recorded as %d bytes, its stored bytes are %d", src.ID, src.Size, len(b))
		}
	}
	a := tx.app
	if a == nil {
		if a, err = newAppendState(tx); err != nil {
			return Event{}, err
		}
		tx.app = a
	}
	// The keys put here are not tracked as Append's last keys: Append
	// looks them up from now on.
	a.trust = false
	var ents [2]indexEntry
	n, keys := indexEntries(&ents, a.keys, p)
	a.keys = keys
	for _, ent := range ents[:n] {
		if a.index[ent.index].has(ent.key) {
			return refuse(Invalid(&DuplicateError{Index: indexNames[ent.index], Key: string(ent.key)}), "%s %q is already recorded", indexNames[ent.index], ent.key)
		}
	}
	e.RecordedAt = e.RecordedAt.UTC()
	rec := Encode(&e)
	if int64(len(rec)) > kv.MaxValueSize {
		return Event{}, kv.ErrValueTooLarge
	}
	rev := revKey(e.Revision)
	for _, ent := range ents[:n] {
		if err := a.index[ent.index].b.Put(bytes.Clone(ent.key), rev); err != nil {
			return Event{}, err
		}
	}
	if err := a.log.Put(rev, rec); err != nil {
		return Event{}, err
	}
	e.Payload = rec[len(rec)-len(e.Payload):]
	tx.head, tx.headHash = e.Revision, e.Hash
	tx.appended.add(e)
	return e, nil
}
