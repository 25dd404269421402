package events

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"

	"github.com/sillok/sillok/events/kv"
)

// Append validates p, encodes it, chains it to the head and stores it,
// with its index entries. Index keys that already exist are an error
// (ErrDuplicate); callers check Lookup first to make re-adding a no-op.
//
// The returned event's Payload is the stored record's: it must not be
// modified.
func (tx *Tx) Append(author string, p Payload) (Event, error) {
	if !tx.btx.Writable() {
		return Event{}, ErrReadOnly
	}
	if err := p.Validate(); err != nil {
		return Event{}, Invalid(err)
	}
	if err := validText("author", author, MaxAuthorLn); err != nil {
		return Event{}, err
	}
	a := tx.app
	if a == nil {
		var err error
		if a, err = newAppendState(tx); err != nil {
			return Event{}, err
		}
		tx.app = a
	}
	payload, ok := appendPayloadJSON(a.scratch[:0], p)
	if ok {
		a.scratch = payload
	} else {
		var err error
		if payload, err = marshalPayloadReflect(p); err != nil {
			return Event{}, err
		}
	}
	e := Event{
		Revision:   tx.head + 1,
		Type:       p.EventType(),
		RecordedAt: tx.Now(),
		Author:     author,
		Payload:    payload,
		Prev:       tx.headHash,
	}
	// The record, cut from a slab: bbolt keeps the value until commit.
	rec := a.recs.take(65 + 5*binary.MaxVarintLen64 + len(e.Type) + len(e.Author) + len(payload))
	rec = append(rec, recordVersion)
	rec = append(rec, e.Prev[:]...)
	rec = rec[:65] // the hash, below
	rec = appendBody(rec, &e)
	a.recs.used(len(rec))
	a.sha.Reset()
	a.sha.Write(rec[1:33]) // e.Prev
	a.sha.Write(rec[65:])
	a.sha.Sum(rec[33:33]) // in place: rec has the room
	copy(e.Hash[:], rec[33:65])
	rec = rec[:len(rec):len(rec)]

	// The duplicate check. A key beyond the last key of its index cannot
	// be there.
	var ents [2]indexEntry
	n, keys := indexEntries(&ents, a.keys, p)
	a.keys = keys
	var beyond [2]bool
	for i, ent := range ents[:n] {
		ix := &a.index[ent.index]
		if beyond[i] = a.beyond(ix, ent.key); beyond[i] {
			continue
		}
		if ix.has(ent.key) {
			return Event{}, &DuplicateError{Index: indexNames[ent.index], Key: string(ent.key)}
		}
	}
	if int64(len(rec)) > kv.MaxValueSize {
		return Event{}, kv.ErrValueTooLarge
	}

	// The puts, all on this goroutine: a bbolt transaction is not safe
	// for concurrent use.
	if n > 0 {
		rev := binary.BigEndian.AppendUint64(a.recs.take(8), uint64(e.Revision))
		a.recs.used(8)
		for i, ent := range ents[:n] {
			ix := &a.index[ent.index]
			if err := ix.b.Put(ent.key, rev); err != nil {
				return Event{}, err
			}
			ix.seq = ix.seq && beyond[i]
			if beyond[i] {
				// ent.key is scratch, reused by the next Append.
				ix.last = append(a.recs.take(len(ent.key)), ent.key...)
				a.recs.used(len(ix.last))
			}
		}
	}
	logKey := binary.BigEndian.AppendUint64(a.recs.take(8), uint64(e.Revision))
	a.recs.used(8)
	if err := a.log.Put(logKey, rec); err != nil {
		return Event{}, err
	}

	// The payload as stored, at the end of the record (the scratch buffer
	// is reused).
	e.Payload = rec[len(rec)-len(payload):]
	tx.head, tx.headHash = e.Revision, e.Hash
	tx.appended.add(e)
	return e, nil
}

// eventList is a list of events that grows in chunks, without copying (a
// transaction may append many).
type eventList struct {
	full [][]Event // filled chunks
	last []Event   // the chunk being filled
	n    int
}

func (l *eventList) add(e Event) {
	if len(l.last) == cap(l.last) {
		if l.last != nil {
			l.full = append(l.full, l.last)
		}
		l.last = make([]Event, 0, min(max(16, l.n), 1024))
	}
	l.last = append(l.last, e)
	l.n++
}

// all returns the events as one slice, which later adds go on filling (so
// that calling all after every add is not quadratic).
func (l *eventList) all() []Event {
	if len(l.full) > 0 {
		s := make([]Event, 0, l.n+min(l.n, 1024))
		for _, c := range l.full {
			s = append(s, c...)
		}
		s = append(s, l.last...)
		l.full, l.last = nil, s
	}
	return l.last[:len(l.last):len(l.last)]
}

// appendState is what Tx.Append keeps between calls in one transaction.
//
// Everything Append does, it does on the goroutine that calls it: a bbolt
// transaction, and every byte read from it, belongs to one goroutine at a
// time (bbolt documents transactions as not safe for concurrent use).
type appendState struct {
	// trust: the index buckets are written by Append alone, so the last
	// key Append knows of each is the greatest (Bolt was not called).
	trust   bool
	log     kv.Bucket
	index   [len(indexNames)]indexState
	sha     hash.Hash
	scratch []byte // the payload being encoded
	keys    []byte // the index keys being checked
	recs    slab   // records, keys and index values, kept by bbolt until commit
}

// indexState is what Append knows of one index bucket.
type indexState struct {
	b    kv.Bucket
	cur  kv.Cursor // for has, made on first use
	init bool      // last is known
	// last is the greatest key in the index (nil when it is empty), kept
	// up to date by Append while trust is set.
	last []byte
	// seq: every key put in this transaction went after the last one.
	seq bool
}

func newAppendState(tx *Tx) (*appendState, error) {
	a := &appendState{log: tx.btx.Bucket(bucketLog), sha: sha256.New(), trust: !tx.bolted}
	a.log.FillHint(1.0) // keys only ever grow: pack pages full
	ix := tx.btx.Bucket(bucketIndex)
	for i, name := range indexNames {
		b := ix.Bucket([]byte(name))
		if b == nil {
			// An index added after the archive was made (source-edit):
			// created by the first write that may need it.
			var err error
			if b, err = ix.CreateBucket([]byte(name)); err != nil {
				return nil, fmt.Errorf("events: create index %s: %w", name, err)
			}
		}
		a.index[i] = indexState{b: b, seq: true}
	}
	return a, nil
}

// beyond reports whether key is greater than every key of the index, and
// so not in it: the duplicate check needs no lookup.
func (a *appendState) beyond(ix *indexState, key []byte) bool {
	if !a.trust || len(key) == 0 || len(key) > kv.MaxKeySize {
		return false
	}
	if !ix.init {
		k, _ := ix.b.Cursor().Last()
		ix.last, ix.init = bytes.Clone(k), true
	}
	return bytes.Compare(key, ix.last) > 0
}

// has reports whether the index holds key, like Get(key) != nil (a cursor
// kept for the transaction spares Get's allocations).
func (ix *indexState) has(key []byte) bool {
	if ix.cur == nil {
		ix.cur = ix.b.Cursor()
	}
	k, v := ix.cur.Seek(key)
	return v != nil && bytes.Equal(k, key)
}

// bolted is Tx.Bolt's part: the caller may write the index buckets now,
// so the last keys Append knows of are no longer trusted.
func (a *appendState) bolted() { a.trust = false }

// finishWrites prepares Append's buckets for the commit.
func (tx *Tx) finishWrites() {
	a := tx.app
	if a == nil {
		return
	}
	for i := range a.index {
		if ix := &a.index[i]; ix.seq && ix.init {
			// Its keys went after the last, like the log's: pack the
			// pages written full.
			ix.b.FillHint(1.0)
		}
	}
}

// slab hands out pieces of larger allocations, for many small byte slices
// that live as long as one another (one transaction's records).
type slab struct{ free []byte }

const slabSize = 64 << 10

// take returns an empty slice with room for n bytes at least; used(m)
// then consumes the m bytes written to it.
func (s *slab) take(n int) []byte {
	if n > len(s.free) {
		if n > slabSize/8 {
			s.free = make([]byte, n)
			return s.free[:0:n]
		}
		s.free = make([]byte, slabSize)
	}
	return s.free[:0:n]
}

func (s *slab) used(m int) { s.free = s.free[m:] }
