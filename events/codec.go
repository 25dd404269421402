package events

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// recordVersion is the first byte of every stored event record.
const recordVersion = 1

// ErrCorruptRecord reports a stored event record that cannot be decoded.
var ErrCorruptRecord = errors.New("events: corrupt event record")

// body is the canonical encoding of an event without its hashes: the bytes
// the hash is computed over (after the previous hash).
//
//	uvarint revision
//	varint  recorded-at, Unix nanoseconds UTC
//	uvarint len(type)    type
//	uvarint len(author)  author
//	uvarint len(payload) payload (compact JSON)
func appendBody(b []byte, e *Event) []byte {
	b = binary.AppendUvarint(b, uint64(e.Revision))
	b = binary.AppendVarint(b, e.RecordedAt.UnixNano())
	b = appendString(b, string(e.Type))
	b = appendString(b, e.Author)
	b = binary.AppendUvarint(b, uint64(len(e.Payload)))
	return append(b, e.Payload...)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// hashOf computes an event's hash: SHA-256 over the previous hash and the body.
func hashOf(prev Digest, body []byte) Digest {
	h := sha256.New()
	h.Write(prev[:])
	h.Write(body)
	var d Digest
	h.Sum(d[:0])
	return d
}

// Encode returns the stored record of e:
//
//	1 byte   record version (1)
//	32 bytes previous hash
//	32 bytes hash
//	...      body (see appendBody)
func Encode(e *Event) []byte {
	b := make([]byte, 0, 1+64+32+len(e.Author)+len(e.Type)+len(e.Payload))
	b = append(b, recordVersion)
	b = append(b, e.Prev[:]...)
	b = append(b, e.Hash[:]...)
	return appendBody(b, e)
}

// Decode parses a stored record. The bytes are copied: the event stays
// valid after the transaction that read them ends.
func Decode(rec []byte) (Event, error) {
	e, typ, author, payload, err := parseRecord(rec)
	if err != nil {
		return e, err
	}
	e.Type = Type(typ)
	e.Author = string(author)
	e.Payload = json.RawMessage(append([]byte(nil), payload...))
	return e, nil
}

// parseRecord parses a stored record into e's revision, time and hashes,
// and returns its type, author and payload as slices of rec.
func parseRecord(rec []byte) (e Event, typ, author, payload []byte, err error) {
	if len(rec) < 65 || rec[0] != recordVersion {
		return e, nil, nil, nil, fmt.Errorf("%w: bad header", ErrCorruptRecord)
	}
	copy(e.Prev[:], rec[1:33])
	copy(e.Hash[:], rec[33:65])
	b := rec[65:]
	rev, n := binary.Uvarint(b)
	if n <= 0 {
		return e, nil, nil, nil, fmt.Errorf("%w: revision", ErrCorruptRecord)
	}
	b = b[n:]
	e.Revision = Revision(rev)
	ns, n := binary.Varint(b)
	if n <= 0 {
		return e, nil, nil, nil, fmt.Errorf("%w: time", ErrCorruptRecord)
	}
	b = b[n:]
	e.RecordedAt = time.Unix(0, ns).UTC()
	var ok bool
	if typ, b, ok = readBytes(b); !ok {
		return e, nil, nil, nil, fmt.Errorf("%w: type", ErrCorruptRecord)
	}
	if author, b, ok = readBytes(b); !ok {
		return e, nil, nil, nil, fmt.Errorf("%w: author", ErrCorruptRecord)
	}
	if payload, b, ok = readBytes(b); !ok || len(b) != 0 {
		return e, nil, nil, nil, fmt.Errorf("%w: payload", ErrCorruptRecord)
	}
	return e, typ, author, payload, nil
}

func readBytes(b []byte) (field, rest []byte, ok bool) {
	l, n := binary.Uvarint(b)
	if n <= 0 || l > uint64(len(b)-n) {
		return nil, nil, false
	}
	b = b[n:]
	return b[:l], b[l:], true
}

// ComputeHash recomputes e's hash from its previous hash and body.
func ComputeHash(e *Event) Digest {
	return hashOf(e.Prev, appendBody(nil, e))
}
