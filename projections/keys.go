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
)

func checkpointKey(r events.Revision) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(r))
}

func checkpointRev(k []byte) events.Revision { return events.Revision(binary.BigEndian.Uint64(k)) }
