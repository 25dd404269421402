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
)

var indexNames = []string{IndexSourceDigest, IndexSourceID, IndexClaim, IndexPredicate, IndexAlias}

// revKey is the 8-byte big-endian key of a revision in the log bucket.
func revKey(r Revision) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], uint64(r))
	return k[:]
}

func keyRev(k []byte) Revision { return Revision(binary.BigEndian.Uint64(k)) }

func formatValue(v uint64) []byte { return binary.AppendUvarint(nil, v) }

// indexEntries lists the index keys an event's payload introduces.
func indexEntries(p Payload) [][2]string {
	switch p := p.(type) {
	case *SourceArchived:
		return [][2]string{{IndexSourceDigest, string(p.Digest[:])}, {IndexSourceID, string(p.ID)}}
	case *ClaimAsserted:
		return [][2]string{{IndexClaim, string(p.ID)}}
	case *PredicateDefined:
		return [][2]string{{IndexPredicate, p.Name}}
	case *AliasDeclared:
		return [][2]string{{IndexAlias, AliasKey(p)}}
	}
	return nil
}

// AliasKey is the key of an alias declaration in the alias index: the same
// declaration twice is one.
func AliasKey(p *AliasDeclared) string {
	return p.Name + "\x00" + p.Entity + "\x00" + string(p.Kind)
}
