package projections

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
)

// SchemaVersion is the version of the stored projection format. A stored
// projection of another version is wiped and rebuilt from the log.
const SchemaVersion = 1

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
	if head < newest+st.interval() {
		return nil
	}
	s, _, err := st.At(tx, head)
	if err != nil {
		return err
	}
	return st.put(b, s)
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

// thin deletes checkpoints so that the gaps between the ones kept grow
// with their age: walking back from the head, a checkpoint is kept when it
// lies at least max(Interval, age/4) before the last one kept. The number
// kept grows with the logarithm of the log's length.
func (st *Store) thin(b *bolt.Bucket, head events.Revision) error {
	var drop [][]byte
	c := b.Cursor()
	k, _ := c.Last()
	if k == nil {
		return nil
	}
	kept := checkpointRev(k)
	for k, _ = c.Prev(); k != nil; k, _ = c.Prev() {
		r := checkpointRev(k)
		gap := (head - r) / 4
		if gap < st.interval() {
			gap = st.interval()
		}
		if kept-r >= gap {
			kept = r
			continue
		}
		drop = append(drop, bytes.Clone(k))
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Rebuild wipes the stored projection and replays the whole log, storing
// checkpoints as CatchUp would have. It returns the head state.
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
	s := NewState()
	text := st.textFunc(tx)
	head, _ := tx.Head()
	err = tx.Scan(1, head, func(e events.Event) error {
		if err := s.Apply(e, text); err != nil {
			return err
		}
		if e.Revision == head {
			return st.put(b, s)
		}
		return nil
	})
	if head > 0 && head < st.interval() {
		// CatchUp would not have stored a checkpoint yet.
		err = b.Delete(checkpointKey(head))
	}
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
