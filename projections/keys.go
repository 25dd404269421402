package projections

import (
	"encoding/binary"

	"github.com/sillok/sillok/events"
)

// Bucket and key names; the layout is documented in doc.go.
var (
	bucketProjections = []byte("projections")
	bucketCheckpoints = []byte("checkpoints")
	keySchema         = []byte("schema")
	keyHead           = []byte("head")
)

func checkpointKey(r events.Revision) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(r))
}

// checkpointRev returns the revision a checkpoint key names; ok is false
// for a key that is not 8 bytes.
func checkpointRev(k []byte) (r events.Revision, ok bool) {
	if len(k) != 8 {
		return 0, false
	}
	return events.Revision(binary.BigEndian.Uint64(k)), true
}
