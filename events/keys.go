package events

import "encoding/binary"

// Bucket names. The layout is documented in doc.go.
var (
	bucketMeta  = []byte("meta")
	bucketLog   = []byte("log")
	bucketBlobs = []byte("blobs")
	bucketIndex = []byte("index")

	keyMagic  = []byte("magic")
	keyFormat = []byte("format")
)

// magic is the value of meta/magic in every Sillok archive.
const magic = "sillok archive"

// FormatVersion is the archive format this program writes and reads.
const FormatVersion = 1

// Index names: sub-buckets of "index", each mapping a key to the revision
// of the event that introduced it.
const (
	IndexSourceDigest = "source-digest" // Digest (32 bytes) → revision
	IndexSourceID     = "source-id"     // source slug → revision
	IndexClaim        = "claim"         // claim id → revision
	IndexPredicate    = "predicate"     // predicate name → revision
	IndexAlias        = "alias"         // name NUL entity NUL kind → revision
	IndexSourceEdit   = "source-edit"   // source slug NUL 4-byte BE edit number → revision
)

var indexNames = [...]string{ixSourceDigest: IndexSourceDigest, ixSourceID: IndexSourceID, ixClaim: IndexClaim, ixPredicate: IndexPredicate, ixAlias: IndexAlias, ixSourceEdit: IndexSourceEdit}

// revKey is the 8-byte big-endian key of a revision in the log bucket.
func revKey(r Revision) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], uint64(r))
	return k[:]
}

func keyRev(k []byte) Revision { return Revision(binary.BigEndian.Uint64(k)) }

func formatValue(v uint64) []byte { return binary.AppendUvarint(nil, v) }

// The positions of the indexes in indexNames.
const (
	ixSourceDigest = iota
	ixSourceID
	ixClaim
	ixPredicate
	ixAlias
	ixSourceEdit
)

// indexEntry is a key an event introduces in an index.
type indexEntry struct {
	index int // position in indexNames
	key   []byte
}

// indexEntries stores in ents the index keys an event's payload
// introduces, and returns how many there are. The keys are appended to
// buf, returned too.
func indexEntries(ents *[2]indexEntry, buf []byte, p Payload) (int, []byte) {
	switch p := p.(type) {
	case *SourceArchived:
		buf = append(buf[:0], p.Digest[:]...)
		buf = append(buf, p.ID...)
		ents[0] = indexEntry{ixSourceDigest, buf[:len(p.Digest)]}
		ents[1] = indexEntry{ixSourceID, buf[len(p.Digest):]}
		return 2, buf
	case *ClaimAsserted:
		buf = append(buf[:0], p.ID...)
		ents[0] = indexEntry{ixClaim, buf}
		return 1, buf
	case *PredicateDefined:
		buf = append(buf[:0], p.Name...)
		ents[0] = indexEntry{ixPredicate, buf}
		return 1, buf
	case *AliasDeclared:
		buf = append(buf[:0], p.Name...)
		buf = append(buf, 0)
		buf = append(buf, p.Entity...)
		buf = append(buf, 0)
		buf = append(buf, p.Kind...)
		ents[0] = indexEntry{ixAlias, buf}
		return 1, buf
	case *SourceEdited:
		buf = append(buf[:0], SourceEditKey(p.ID, p.Edit)...)
		ents[0] = indexEntry{ixSourceEdit, buf}
		return 1, buf
	}
	return 0, buf
}

// AliasKey is the key of an alias declaration in the alias index: the same
// declaration twice is one.
func AliasKey(p *AliasDeclared) string {
	return p.Name + "\x00" + p.Entity + "\x00" + string(p.Kind)
}

// SourceEditKey is the key of a source's edit number n in the source-edit
// index: the slug, NUL and n in 4 bytes big-endian, so that a source's
// edits are contiguous and in order.
func SourceEditKey(id SourceID, n int) string {
	return string(binary.BigEndian.AppendUint32(append([]byte(id), 0), uint32(n)))
}
