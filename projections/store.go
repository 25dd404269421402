package projections

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"

	"github.com/sillok/sillok/events/kv"

	"github.com/sillok/sillok/events"
)

// SchemaVersion is the version of the stored projection format. A stored
// projection of another version is wiped and rebuilt from the log.
// Version 6: a verdict replaces the earlier verdict on its conflict whole,
// so states folded by version 5 keep rejections that are now lifted.
// Version 6 also stores when a source's publication date was corrected
// (Source.Reanchored).
// Version 7: the read model (model.go) is stored beside the checkpoints.
// Version 8: a temporal conflict's root cause is in the queue's order and
// has an index of its combinations; a claim's date records its rule.
// Version 10: the read model keeps each source's copy-detection record
// (with the revision it was archived at), so that archiving a source is an
// incremental write and a replay need not sketch texts again (9 had the
// record without the revision, in development only).
// Version 11: the read model indexes the claims whose value is an entity
// by that entity, so that a retraction finds the earlier uses of a name.
// Version 12: the read model keeps the pairs of names that "distinct"
// declarations and verdicts name, and the names an alias declaration names
// in two of their forms, so that a reviewer's "same" can be an incremental
// write.
// Version 13: an entity's record keeps, for each of its names, where the
// name first appeared and whether it was used as a subject and as an
// alias, so that "same" can be an incremental write for entities with
// aliases too.
const SchemaVersion = 13

// DefaultInterval is how many events may separate two checkpoints.
const DefaultInterval = 1000

// Store keeps checkpoints of the State in the archive's bbolt file and
// answers "the state at revision N" from the nearest checkpoint at or
// before N plus a replay of the events after it.
type Store struct {
	// Interval is the number of events after the newest checkpoint at
	// which a write transaction stores a new one; 0 means DefaultInterval.
	Interval int
	// Text gives the normalized text of a source (for copy detection).
	Text func(tx *events.Tx, src *events.SourceArchived) (string, error)

	// KeepWarm makes CatchUp keep the head state in memory (Warm) and
	// advance it from one write transaction to the next, instead of
	// decoding the newest checkpoint each time a new one is due: a
	// process that runs many imports decodes the state once. Whoever sets
	// it must set Warm to nil when a write transaction fails, since Warm
	// may then hold events that were rolled back.
	KeepWarm bool
	// Warm is the state CatchUp keeps when KeepWarm is set.
	Warm *State

	// Bulk spaces checkpoints by newest/2 instead of newest/16 while it
	// is set: a long import of many files, each in its own transaction,
	// then encodes the whole state a few times instead of dozens, and
	// clears Bulk for its last file so that the head gets a checkpoint
	// spaced as usual. A crash during the import leaves at most half the
	// archive's events after the newest checkpoint, which reads replay
	// until the next write stores one.
	Bulk bool

	// NoPartial makes every write derive the read model from an analysis
	// of the whole head state, as a write the incremental path cannot
	// take does (partial.go); for tests and measurements.
	NoPartial bool

	// PartialWrites and FullWrites count the writes that brought the read
	// model to the head by the incremental path and by a full analysis.
	PartialWrites, FullWrites int
}

func (st *Store) interval() events.Revision {
	if st.Interval <= 0 {
		return DefaultInterval
	}
	return events.Revision(st.Interval)
}

func (st *Store) textFunc(tx *events.Tx) TextFunc {
	if st.Text == nil {
		return nil
	}
	return func(src *events.SourceArchived) (string, error) { return st.Text(tx, src) }
}

// checkpoints returns the checkpoint bucket when it exists and has the
// current schema version, else nil.
func checkpoints(btx kv.Tx) kv.Bucket {
	b := btx.Bucket(bucketProjections)
	if b == nil {
		return nil
	}
	v, n := binary.Uvarint(b.Get(keySchema))
	if n <= 0 || v != SchemaVersion {
		return nil
	}
	return b.Bucket(bucketCheckpoints)
}

// Head returns the state at the head revision (see At).
func (st *Store) Head(tx *events.Tx) (*State, events.Revision, error) {
	head, _ := tx.Head()
	return st.At(tx, head)
}

// At returns the state at revision rev (0 is the empty archive), from the
// nearest stored checkpoint at or before rev plus a replay of the events
// after it. It also returns the revision of the checkpoint it started from
// (0: none). A checkpoint that fails its checksum or does not decode is an
// *StoredError: a rebuild from the log replaces it.
func (st *Store) At(tx *events.Tx, rev events.Revision) (*State, events.Revision, error) {
	head, _ := tx.Head()
	if rev > head {
		return nil, 0, fmt.Errorf("revision %d is beyond the head revision %d", rev, head)
	}
	if err := st.CheckHead(tx); err != nil {
		return nil, 0, err
	}
	s := NewState()
	var from events.Revision
	if b := checkpoints(tx.KV()); b != nil {
		// The key first, then the one value wanted: a checkpoint is the
		// whole state.
		c := b.KeyCursor()
		k, _ := c.Seek(checkpointKey(rev))
		if k == nil || !bytes.Equal(k, checkpointKey(rev)) {
			k, _ = c.Prev()
		}
		var v []byte
		if k != nil {
			v = b.Get(k)
		}
		if k != nil {
			r, ok := checkpointRev(k)
			if !ok {
				return nil, 0, &StoredError{What: fmt.Sprintf("malformed projection checkpoint key %x", k)}
			}
			var release func()
			if len(v) > 2*releaseBlock {
				release = func() { ReleaseMapped(tx) }
			}
			d, err := decodeState(v, release)
			if err == nil && d.Rev != r {
				err = fmt.Errorf("it holds the state at revision %d", d.Rev)
			}
			if err != nil {
				return nil, 0, &StoredError{What: fmt.Sprintf("projection checkpoint %d: %v", r, err), Err: err}
			}
			s, from = d, r
		}
	}
	if err := st.replay(tx, s, rev); err != nil {
		return nil, 0, err
	}
	return s, from, nil
}

// replay applies the events after s.Rev through to to s.
func (st *Store) replay(tx *events.Tx, s *State, to events.Revision) error {
	return foldStored(tx, s, to, st.textFunc(tx), storedSketches(tx), nil)
}

// CatchUp is called in a write transaction after appending: when the
// head is Interval or more events past the newest checkpoint it stores a
// checkpoint of the head state, and thins older checkpoints. A stored
// projection of another schema version is wiped first.
//
// A log cut short (CheckHead) is an error: a write must not bury the
// evidence under new events.
func (st *Store) CatchUp(tx *events.Tx) error {
	if err := st.CheckHead(tx); err != nil {
		return err
	}
	b, err := st.bucket(tx)
	if err != nil {
		return err
	}
	if err := putHead(tx); err != nil {
		return err
	}
	head, _ := tx.Head()
	var newest events.Revision
	if k, _ := b.KeyCursor().Last(); k != nil {
		newest, _ = checkpointRev(k)
	}
	warm := st.KeepWarm && st.Warm != nil && st.Warm.Rev >= newest && st.Warm.Rev <= head
	if !warm {
		st.Warm = nil
	}
	due := head >= st.next(newest)
	if warm {
		if err := st.replay(tx, st.Warm, head); err != nil {
			st.Warm = nil
			return err
		}
	}
	// The read model is brought to the head by every write but those of
	// a bulk load before its last transaction (reads then analyse the
	// state, as they do for an archive without a model).
	if !due && st.Bulk {
		return nil
	}
	root := tx.KV().Bucket(bucketProjections)
	partial := false
	if !st.Bulk && !st.NoPartial {
		// Only what the write touches, when it can (partial.go).
		if partial, err = st.updatePartial(tx, root, tx.Appended()); err != nil {
			return err
		}
		if partial {
			st.PartialWrites++
		}
		if partial && !due {
			return nil
		}
	}
	s := st.Warm
	if s == nil {
		if s, _, err = st.At(tx, head); err != nil {
			return err
		}
		if st.KeepWarm {
			st.Warm = s
		}
	}
	if due {
		if err := st.put(b, s); err != nil {
			return err
		}
	}
	if st.Bulk || partial {
		return nil
	}
	st.FullWrites++
	return writeModel(root, Analyze(s))
}

// next is the revision at or after which the checkpoint following one at
// newest is due: Interval events later, or newest/16 once that is more, so
// that a growing archive writes checkpoints (each the size of the whole
// state) less often, and the bytes written for them over its life stay a
// small multiple of the state's size. A read replays at most that many
// events after the newest checkpoint.
func (st *Store) next(newest events.Revision) events.Revision {
	if st.Bulk {
		return newest + max(st.interval(), newest/2)
	}
	return newest + max(st.interval(), newest/16)
}

// bucket returns the checkpoint bucket for writing, wiping a stored
// projection of another schema version.
func (st *Store) bucket(tx *events.Tx) (kv.Bucket, error) {
	btx := tx.KV()
	if b := checkpoints(btx); b != nil {
		return b, nil
	}
	if btx.Bucket(bucketProjections) != nil {
		if err := btx.DeleteBucket(bucketProjections); err != nil {
			return nil, err
		}
	}
	root, err := btx.CreateBucket(bucketProjections)
	if err != nil {
		return nil, err
	}
	if err := root.Put(keySchema, binary.AppendUvarint(nil, SchemaVersion)); err != nil {
		return nil, err
	}
	return root.CreateBucket(bucketCheckpoints)
}

func (st *Store) put(b kv.Bucket, s *State) error {
	b.FillHint(0.9)
	if err := b.Put(checkpointKey(s.Rev), encodeState(s)); err != nil {
		return err
	}
	return st.thin(b, s.Rev)
}

// thin deletes the checkpoints that keep does not keep, and any key that
// is not a revision.
func (st *Store) thin(b kv.Bucket, head events.Revision) error {
	var revs []events.Revision
	var malformed [][]byte
	// The keys alone: a checkpoint is the whole state.
	c := b.KeyCursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if r, ok := checkpointRev(k); ok {
			revs = append(revs, r)
		} else {
			malformed = append(malformed, bytes.Clone(k))
		}
	}
	kept := map[events.Revision]bool{}
	for _, r := range keep(revs, head, st.interval()) {
		kept[r] = true
	}
	for _, r := range revs {
		if !kept[r] {
			if err := b.Delete(checkpointKey(r)); err != nil {
				return err
			}
		}
	}
	for _, k := range malformed {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// keep chooses which of the checkpoints at revs (ascending) to keep: the
// newest, and for each of head/2, head/4, head/8, ... down to interval the
// latest checkpoint at or before it. Checkpoints grow with the state, so
// the ones kept add up to about twice the newest (three times on the
// generated archives, whose first events are all sources), while every
// revision still has a checkpoint within about half its distance from the
// head behind it.
func keep(revs []events.Revision, head, interval events.Revision) []events.Revision {
	if len(revs) == 0 {
		return nil
	}
	kept := map[events.Revision]bool{revs[len(revs)-1]: true}
	for t := head / 2; t >= interval && t > 0; t /= 2 {
		i, found := slices.BinarySearch(revs, t)
		if !found {
			i--
		}
		if i >= 0 {
			kept[revs[i]] = true
		}
	}
	var out []events.Revision
	for _, r := range revs {
		if kept[r] {
			out = append(out, r)
		}
	}
	return out
}

// rebuildOlder bounds the bytes of the checkpoints older than the head's
// that Rebuild stores.
const rebuildOlder = 16 << 20

// Rebuild wipes the stored projection and replays the whole log (see
// fold), storing a checkpoint of the head state and, oldest first, those
// older ones CatchUp would have kept had it run every Interval events, as
// long as the older ones add up to at most 16 MiB.
//
// The trade-off: every checkpoint stored is held in memory twice until
// the transaction commits (the encoding, and bbolt's copy in its dirty
// pages), and the older checkpoints CatchUp keeps add up to one or two
// times the newest; on a large archive that would double the memory a
// rebuild needs (at 1M claims the newest is about 160 MB). What the older checkpoints are for is reading old revisions
// (--at REV): after a rebuild of a large archive a read of a revision
// before the head replays from the nearest older checkpoint kept, or from
// revision 1, instead of from one at most about half its distance from
// the head back. Reads at or after the head, which is what every command
// but --at does, are unaffected, and CatchUp stores and thins checkpoints
// after the rebuild as before.
func (st *Store) Rebuild(tx *events.Tx) (*State, error) {
	s, _, err := st.rebuild(tx, false, true)
	return s, err
}

// RebuildChecked does what Check and then Rebuild do, with one replay of
// the log: it returns the head state and the revisions of the stored
// checkpoints that differ from the replay. bad is nil when they could not
// be read (the rebuild replaces them).
func (st *Store) RebuildChecked(tx *events.Tx) (s *State, bad []events.Revision, err error) {
	return st.rebuild(tx, true, true)
}

// RebuildWithoutModel is RebuildChecked without the read model: the
// projections it leaves have none (reads analyse the state, as they do
// without one), and the caller writes it after the commit, in
// transactions of a bounded size, with WriteModel(log, head). The commit
// then holds the checkpoints only, not the model as well, and not the
// state either: it returns the head revision, not the state, and lets go
// of the state once the head's checkpoint is encoded, so that the commit's
// two copies of that checkpoint (the encoding, and bbolt's in its dirty
// pages) do not add to it. WriteModel decodes it again from the
// checkpoint.
func (st *Store) RebuildWithoutModel(tx *events.Tx) (head events.Revision, bad []events.Revision, err error) {
	s, bad, err := st.rebuild(tx, true, false)
	if err != nil {
		return 0, nil, err
	}
	return s.Rev, bad, nil
}

func (st *Store) rebuild(tx *events.Tx, check, withModel bool) (*State, []events.Revision, error) {
	// A rebuild stores checkpoints of the log as it is: of a log cut short
	// that would erase the evidence. A damaged stored record is the
	// rebuild's to replace.
	var cut *CutShortError
	if err := st.CheckHead(tx); errors.As(err, &cut) {
		return nil, nil, err
	}
	// The old read model goes first, while the state is empty: deleting
	// a bucket reads every page of it (to free it) through the mapping,
	// and those pages are released before the replay fills the state.
	if root := tx.KV().Bucket(bucketProjections); root != nil && root.Bucket(bucketModel) != nil {
		if err := root.DeleteBucket(bucketModel); err != nil {
			return nil, nil, err
		}
		ReleaseMapped(tx)
	}
	head, _ := tx.Head()
	var cmp *checker
	if check {
		var err error
		if cmp, err = newChecker(tx); err != nil {
			cmp = nil
		}
	}
	var candidates []events.Revision
	for r := st.next(0); r <= head; r = st.next(r) {
		candidates = append(candidates, r)
	}
	if n := len(candidates); n > 0 && candidates[n-1] != head {
		candidates = append(candidates, head)
	}
	older := keep(candidates, head, st.interval())
	if len(older) > 0 {
		older = older[:len(older)-1] // the head's is encoded at the end
	}
	var stored []events.Revision
	var encoded [][]byte
	size, next := 0, 0
	s := NewState()
	if cmp != nil {
		cmp.compare(s, nil)
	}
	defer tx.ReadAhead()()
	err := fold(tx, s, head, st.textFunc(tx), func(s *State) error {
		var enc []byte
		if next < len(older) && s.Rev == older[next] {
			next++
			if size >= 0 {
				enc = encodeState(s)
				if size += len(enc); size <= rebuildOlder {
					stored, encoded = append(stored, s.Rev), append(encoded, enc)
				} else {
					size = -1 // full: no more older ones
				}
			}
		}
		if cmp != nil && s.Rev < head {
			cmp.compare(s, enc)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var headEnc []byte
	if head > 0 {
		headEnc = encodeState(s)
	}
	var bad []events.Revision
	if cmp != nil {
		cmp.release = func() { ReleaseMapped(tx) } // back on this goroutine
		cmp.compare(s, headEnc)
		bad = cmp.done()
	}
	if !withModel {
		// The caller wants only the revision (RebuildWithoutModel): the
		// state is garbage from here on.
		s = &State{Rev: s.Rev}
	}
	// Only now is the old projection wiped: the checker read it.
	btx := tx.KV()
	if btx.Bucket(bucketProjections) != nil {
		if err := btx.DeleteBucket(bucketProjections); err != nil {
			return nil, nil, err
		}
		// Deleting reads every page of the old projection (to free it)
		// through the mapping: release them, or they stay in the
		// process's memory (the size of the old model and checkpoints).
		ReleaseMapped(tx)
	}
	b, err := st.bucket(tx)
	if err != nil {
		return nil, nil, err
	}
	b.FillHint(0.9)
	for i, r := range stored {
		if err := b.Put(checkpointKey(r), encoded[i]); err != nil {
			return nil, nil, err
		}
	}
	if headEnc != nil {
		if err := b.Put(checkpointKey(head), headEnc); err != nil {
			return nil, nil, err
		}
	}
	if withModel {
		if err := createModelOf(tx.KV().Bucket(bucketProjections), s); err != nil {
			return nil, nil, err
		}
	}
	if err := putHead(tx); err != nil {
		return nil, nil, err
	}
	return s, bad, nil
}

// checker compares the stored checkpoints with the states of a replay.
// It holds the stored values as bbolt returns them, without copying: they
// stay valid while the transaction does not change the bucket.
type checker struct {
	revs   []events.Revision
	stored [][]byte
	i      int
	bad    []events.Revision
	// release, when set, releases the file's mapped pages (ReleaseMapped)
	// between blocks of a large comparison. It is nil while a replay runs:
	// compare is then called on fold's applying goroutine, which must not
	// use the transaction.
	release func()
}

// newChecker reads the stored checkpoints (none when the projection has
// another schema version).
func newChecker(tx *events.Tx) (*checker, error) {
	c := &checker{}
	b := checkpoints(tx.KV())
	if b == nil {
		return c, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		r, ok := checkpointRev(k)
		if !ok {
			return fmt.Errorf("malformed projection checkpoint key %x", k)
		}
		c.revs, c.stored = append(c.revs, r), append(c.stored, v)
		return nil
	})
	return c, err
}

// compare compares the checkpoints up to s.Rev with s, whose encoding is
// enc (nil: not encoded yet); a replay calls it at every revision.
func (c *checker) compare(s *State, enc []byte) {
	for ; c.i < len(c.revs) && c.revs[c.i] <= s.Rev; c.i++ {
		if c.revs[c.i] == s.Rev && enc == nil {
			enc = encodeState(s)
		}
		if c.revs[c.i] < s.Rev || !equalMapped(enc, c.stored[c.i], c.release) {
			c.bad = append(c.bad, c.revs[c.i])
		}
		c.stored[c.i] = nil
	}
}

// done reports the checkpoints that differed, those the replay did not
// reach (beyond the head) included.
func (c *checker) done() []events.Revision {
	for ; c.i < len(c.revs); c.i++ {
		c.bad = append(c.bad, c.revs[c.i])
	}
	return c.bad
}

// equalMapped reports whether a equals b, which bbolt may have mapped from
// the file: a large b is compared a block at a time, calling release (if
// not nil) after each, so that comparing with a large checkpoint does not
// leave it all resident.
func equalMapped(a, b []byte, release func()) bool {
	const block = 8 << 20
	if len(a) != len(b) {
		return false
	}
	for len(a) > block {
		if !bytes.Equal(a[:block], b[:block]) {
			return false
		}
		a, b = a[block:], b[block:]
		if release != nil {
			release()
		}
	}
	return bytes.Equal(a, b)
}

// Check compares every stored checkpoint with a replay of the log and
// returns the revisions of those that differ (a checkpoint beyond the
// head differs from everything).
func (st *Store) Check(tx *events.Tx) (bad []events.Revision, err error) {
	head, _ := tx.Head()
	c, err := newChecker(tx)
	if err != nil || len(c.revs) == 0 {
		return nil, err
	}
	s := NewState()
	c.compare(s, nil)
	if err := fold(tx, s, min(c.revs[len(c.revs)-1], head), st.textFunc(tx), func(s *State) error {
		c.compare(s, nil)
		return nil
	}); err != nil {
		return nil, err
	}
	return c.done(), nil
}

// CheckSums verifies the checksum of every stored checkpoint without
// replaying the log, and returns the revisions of those that fail it or
// do not name the revision they are stored under. A checkpoint beyond the
// head is CheckHead's to report. A key that is not a revision is reported
// as the error, after the others are checked.
func (st *Store) CheckSums(tx *events.Tx) (bad []events.Revision, err error) {
	b := checkpoints(tx.KV())
	if b == nil {
		return nil, nil
	}
	head, _ := tx.Head()
	var malformed error
	// The keys first, then each value alone: on an engine that copies
	// values (pgkv) one whole-state checkpoint is in memory at a time.
	c := b.KeyCursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		r, ok := checkpointRev(k)
		if !ok {
			if malformed == nil {
				malformed = fmt.Errorf("malformed projection checkpoint key %x", k)
			}
			continue
		}
		if r > head {
			continue
		}
		v := b.Get(k)
		var release func()
		if len(v) > 2*releaseBlock {
			release = func() { ReleaseMapped(tx) }
		}
		if checkSum(v, release) != nil || storedRev(v) != r {
			bad = append(bad, r)
		}
	}
	return bad, malformed
}

// StoredError is a stored projection (a checkpoint, or the head it
// recorded) that cannot be read or is not what was stored. The log is
// intact: a rebuild from it replaces the stored projection.
type StoredError struct {
	What string
	Err  error
}

func (e *StoredError) Error() string { return e.What }
func (e *StoredError) Unwrap() error { return e.Err }

// CutShortError reports a log that no longer holds events the stored
// projection was written from: events at its end were removed (and
// perhaps others appended in their place).
type CutShortError struct {
	// Head is the log's head revision; Rev the revision the stored
	// projection names.
	Head, Rev events.Revision
	// Rewritten: the log holds an event at Rev, but not the one the
	// projection recorded.
	Rewritten bool
	What      string
}

func (e *CutShortError) Error() string {
	if e.Rewritten {
		return fmt.Sprintf("the log was cut short before revision %d and written again: %s", e.Rev, e.What)
	}
	return fmt.Sprintf("the log was cut short after revision %d: %s", e.Head, e.What)
}

// CheckHead checks that the log still reaches every revision the stored
// projection knows of: its newest checkpoint, and the head recorded by the
// last write that stored it (revision and hash). It returns a
// *CutShortError when it does not. A log that was never written through a
// Store passes.
func (st *Store) CheckHead(tx *events.Tx) error {
	head, _ := tx.Head()
	root := tx.KV().Bucket(bucketProjections)
	if root == nil {
		return nil
	}
	if b := root.Bucket(bucketCheckpoints); b != nil {
		if k, _ := b.KeyCursor().Last(); k != nil {
			if r, ok := checkpointRev(k); ok && r > head {
				return &CutShortError{Head: head, Rev: r, What: fmt.Sprintf("a stored projection checkpoint is of revision %d", r)}
			}
		}
	}
	v := root.Get(keyHead)
	if v == nil {
		return nil
	}
	switch len(v) {
	case headRecord + 4:
		if crc32.Checksum(v[:headRecord], castagnoli) != binary.LittleEndian.Uint32(v[headRecord:]) {
			return &StoredError{What: "the stored projection's head record is damaged (its checksum does not match)"}
		}
	case headRecord: // written before the record had a checksum
	default:
		return &StoredError{What: fmt.Sprintf("the stored projection's head record is %d bytes, not %d", len(v), headRecord+4)}
	}
	r := events.Revision(binary.BigEndian.Uint64(v))
	var want events.Digest
	copy(want[:], v[8:])
	if r > head {
		return &CutShortError{Head: head, Rev: r, What: fmt.Sprintf("the stored projection was written when the log reached revision %d (hash %s)", r, want.Hex())}
	}
	if r == 0 {
		return nil
	}
	e, err := tx.Event(r)
	if err != nil {
		return err
	}
	if e.Hash != want {
		return &CutShortError{Head: head, Rev: r, Rewritten: true, What: fmt.Sprintf("the stored projection was written when revision %d had the hash %s, and the log's revision %d has the hash %s", r, want.Hex(), r, e.Hash.Hex())}
	}
	return nil
}

// putHead records the log's head in the stored projection (see CheckHead).
func putHead(tx *events.Tx) error {
	root := tx.KV().Bucket(bucketProjections)
	if root == nil {
		return nil
	}
	head, hash := tx.Head()
	v := append(binary.BigEndian.AppendUint64(make([]byte, 0, headRecord+4), uint64(head)), hash[:]...)
	return root.Put(keyHead, binary.LittleEndian.AppendUint32(v, crc32.Checksum(v, castagnoli)))
}

// headRecord is the size of the head record without its checksum: the
// revision (8 bytes, big-endian) and its hash. A CRC-32C of the two
// follows, so that a damaged record is told from a log cut short.
const headRecord = 8 + len(events.Digest{})
