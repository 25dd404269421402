package projections

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
)

// SchemaVersion is the version of the stored projection format. A stored
// projection of another version is wiped and rebuilt from the log.
const SchemaVersion = 3

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
func checkpoints(btx *bolt.Tx) *bolt.Bucket {
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
// (0: none).
func (st *Store) At(tx *events.Tx, rev events.Revision) (*State, events.Revision, error) {
	head, _ := tx.Head()
	if rev > head {
		return nil, 0, fmt.Errorf("revision %d is beyond the head revision %d", rev, head)
	}
	s := NewState()
	var from events.Revision
	if b := checkpoints(tx.Bolt()); b != nil {
		c := b.Cursor()
		k, v := c.Seek(checkpointKey(rev))
		if k == nil || checkpointRev(k) > rev {
			k, v = c.Prev()
		}
		if k != nil {
			if err := json.Unmarshal(v, s); err != nil {
				return nil, 0, fmt.Errorf("projections: checkpoint %d: %w (run sillok rebuild)", checkpointRev(k), err)
			}
			from = checkpointRev(k)
		}
	}
	if err := st.replay(tx, s, rev); err != nil {
		return nil, 0, err
	}
	return s, from, nil
}

func (st *Store) replay(tx *events.Tx, s *State, to events.Revision) error {
	if s.Rev >= to {
		return nil
	}
	text := st.textFunc(tx)
	return tx.Scan(s.Rev+1, to, func(e events.Event) error { return s.Apply(e, text) })
}

// CatchUp is called in a write transaction after appending: when the
// head is Interval or more events past the newest checkpoint it stores a
// checkpoint of the head state, and thins older checkpoints. A stored
// projection of another schema version is wiped first.
func (st *Store) CatchUp(tx *events.Tx) error {
	b, err := st.bucket(tx)
	if err != nil {
		return err
	}
	head, _ := tx.Head()
	var newest events.Revision
	if k, _ := b.Cursor().Last(); k != nil {
		newest = checkpointRev(k)
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
	if !due {
		return nil
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
	return st.put(b, s)
}

// next is the revision at or after which the checkpoint following one at
// newest is due: Interval events later, or newest/16 once that is more, so
// that a growing archive writes checkpoints (each the size of the whole
// state) less often, and the bytes written for them over its life stay a
// small multiple of the state's size. A read replays at most that many
// events after the newest checkpoint.
func (st *Store) next(newest events.Revision) events.Revision {
	return newest + max(st.interval(), newest/16)
}

// bucket returns the checkpoint bucket for writing, wiping a stored
// projection of another schema version.
func (st *Store) bucket(tx *events.Tx) (*bolt.Bucket, error) {
	btx := tx.Bolt()
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

func (st *Store) put(b *bolt.Bucket, s *State) error {
	enc, err := encodeState(s)
	if err != nil {
		return err
	}
	b.FillPercent = 0.9
	if err := b.Put(checkpointKey(s.Rev), enc); err != nil {
		return err
	}
	return st.thin(b, s.Rev)
}

// thin deletes the checkpoints that keep does not keep.
func (st *Store) thin(b *bolt.Bucket, head events.Revision) error {
	var revs []events.Revision
	if err := b.ForEach(func(k, _ []byte) error {
		revs = append(revs, checkpointRev(k))
		return nil
	}); err != nil {
		return err
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
	return nil
}

// keep chooses which of the checkpoints at revs (ascending) to keep: the
// newest, and for each of head/2, head/4, head/8, ... down to interval the
// latest checkpoint at or before it. Checkpoints grow with the state, so
// the ones kept add up to at most about twice the newest, while every
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

// Rebuild wipes the stored projection and replays the whole log, storing
// the checkpoints CatchUp would have kept had it run every Interval events.
// It returns the head state.
func (st *Store) Rebuild(tx *events.Tx) (*State, error) {
	btx := tx.Bolt()
	if btx.Bucket(bucketProjections) != nil {
		if err := btx.DeleteBucket(bucketProjections); err != nil {
			return nil, err
		}
	}
	b, err := st.bucket(tx)
	if err != nil {
		return nil, err
	}
	head, _ := tx.Head()
	var candidates []events.Revision
	for r := st.next(0); r <= head; r = st.next(r) {
		candidates = append(candidates, r)
	}
	if n := len(candidates); n > 0 && candidates[n-1] != head {
		candidates = append(candidates, head)
	}
	want := map[events.Revision]bool{}
	for _, r := range keep(candidates, head, st.interval()) {
		want[r] = true
	}
	s := NewState()
	text := st.textFunc(tx)
	defer tx.ReadAhead()()
	err = tx.Scan(1, head, func(e events.Event) error {
		if err := s.Apply(e, text); err != nil {
			return err
		}
		if want[e.Revision] {
			enc, err := encodeState(s)
			if err != nil {
				return err
			}
			b.FillPercent = 0.9
			return b.Put(checkpointKey(e.Revision), enc)
		}
		return nil
	})
	return s, err
}

// Check compares every stored checkpoint with a replay of the log and
// returns the revisions of those that differ.
func (st *Store) Check(tx *events.Tx) (bad []events.Revision, err error) {
	b := checkpoints(tx.Bolt())
	if b == nil {
		return nil, nil
	}
	var revs []events.Revision
	var stored [][]byte
	if err := b.ForEach(func(k, v []byte) error {
		revs = append(revs, checkpointRev(k))
		stored = append(stored, bytes.Clone(v))
		return nil
	}); err != nil {
		return nil, err
	}
	s := NewState()
	for i, r := range revs {
		if err := st.replay(tx, s, r); err != nil {
			return nil, err
		}
		enc, err := encodeState(s)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(enc, stored[i]) {
			bad = append(bad, r)
		}
	}
	return bad, nil
}

// encodeState is the canonical encoding of a state: JSON, whose map keys
// encoding/json writes sorted, so equal states encode to equal bytes.
func encodeState(s *State) ([]byte, error) { return json.Marshal(s) }
