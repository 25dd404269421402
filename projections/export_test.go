package projections

// The tests of this package run every replay of two events or more
// through the pipeline (fold.go), in batches of three, so that the
// scenario tests check it against Apply one event at a time.
func init() {
	foldMin, foldBatch = 2, 3
}

// For the benchmarks: the checkpoint codec.
var (
	EncodeState = encodeState
	DecodeState = func(v []byte) (*State, error) { return decodeState(v, nil) }
)
