package projections

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// cutLog removes the last n events of the log, behind the Store's back.
func cutLog(t *testing.T, log *events.Log, n int) {
	t.Helper()
	err := log.Update(func(tx *events.Tx) error {
		head, _ := tx.Head()
		for r := head; r > head-events.Revision(n); r-- {
			if err := tx.KV().Bucket([]byte("log")).Delete(binary.BigEndian.AppendUint64(nil, uint64(r))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestStoreCutShort checks that a log whose last events were removed is
// found by CheckHead, refused by reads, by CatchUp (even once new events
// reach the lost revisions again) and by Rebuild, on an archive too small
// for a checkpoint.
func TestStoreCutShort(t *testing.T) {
	log, text := foldLog(t, 40)
	st := &Store{Text: func(_ *events.Tx, s *events.SourceArchived) (string, error) { return text(s) }}
	appendOne := func(id string) error {
		return log.Update(func(tx *events.Tx) error {
			if _, err := tx.Append("t", eventstest.Predicate(id, events.KindText)); err != nil {
				return err
			}
			return st.CatchUp(tx)
		})
	}
	for _, id := range []string{"p1", "p2", "p3"} {
		if err := appendOne(id); err != nil {
			t.Fatal(err)
		}
	}
	head, _, err := log.Head()
	if err != nil {
		t.Fatal(err)
	}
	err = log.View(func(tx *events.Tx) error { return st.CheckHead(tx) })
	if err != nil {
		t.Fatalf("CheckHead of the whole log: %v", err)
	}
	cutLog(t, log, 2)

	var cut *CutShortError
	err = log.View(func(tx *events.Tx) error { return st.CheckHead(tx) })
	if !errors.As(err, &cut) || cut.Rev != head || cut.Head != head-2 || !strings.Contains(err.Error(), "the log was cut short after revision") {
		t.Errorf("CheckHead: got %v, want the log cut short after revision %d", err, head-2)
	}
	err = log.View(func(tx *events.Tx) error { _, _, err := st.Head(tx); return err })
	if !errors.As(err, &cut) {
		t.Errorf("Head: got %v, want a CutShortError", err)
	}
	err = log.Update(func(tx *events.Tx) error { _, err := st.Rebuild(tx); return err })
	if !errors.As(err, &cut) {
		t.Errorf("Rebuild: got %v, want a CutShortError", err)
	}
	// Two new events take the lost revisions: still found.
	if err := appendOne("q1"); !errors.As(err, &cut) {
		t.Errorf("CatchUp one event after the cut: got %v, want a CutShortError", err)
	}
	err = log.Update(func(tx *events.Tx) error {
		for _, id := range []string{"q1", "q2"} {
			if _, err := tx.Append("t", eventstest.Predicate(id, events.KindText)); err != nil {
				return err
			}
		}
		return st.CatchUp(tx)
	})
	if !errors.As(err, &cut) || !cut.Rewritten || !strings.Contains(err.Error(), "written again") {
		t.Errorf("CatchUp after the lost revisions were written again: got %v, want a rewritten CutShortError", err)
	}
}

// TestStoreRebuildSmall checks that Rebuild stores the head's checkpoint
// of an archive smaller than the interval, and CheckSums reports a
// malformed checkpoint key.
func TestStoreRebuildSmall(t *testing.T) {
	log, text := foldLog(t, 40)
	st := &Store{Text: func(_ *events.Tx, s *events.SourceArchived) (string, error) { return text(s) }}
	err := log.Update(func(tx *events.Tx) error {
		if _, err := st.Rebuild(tx); err != nil {
			return err
		}
		head, _ := tx.Head()
		if v := checkpoints(tx.KV()).Get(checkpointKey(head)); v == nil {
			t.Errorf("Rebuild of %d events stored no checkpoint of the head", head)
		}
		return checkpoints(tx.KV()).Put([]byte("bad"), []byte("x"))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = log.View(func(tx *events.Tx) error {
		_, err := st.CheckSums(tx)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "malformed projection checkpoint key") {
		t.Errorf("CheckSums with a malformed key: got %v, want it reported", err)
	}
}

// TestStoreHeadRecordDamaged: a head record whose bytes changed (its
// revision now beyond the log's head) is a damaged record, not a log cut
// short, and a rebuild writes it anew.
func TestStoreHeadRecordDamaged(t *testing.T) {
	log, text := foldLog(t, 40)
	st := &Store{Text: func(_ *events.Tx, s *events.SourceArchived) (string, error) { return text(s) }}
	if err := log.Update(func(tx *events.Tx) error {
		if _, err := tx.Append("t", eventstest.Predicate("p1", events.KindText)); err != nil {
			return err
		}
		return st.CatchUp(tx)
	}); err != nil {
		t.Fatal(err)
	}
	if err := log.Update(func(tx *events.Tx) error {
		root := tx.KV().Bucket(bucketProjections)
		v := append([]byte(nil), root.Get(keyHead)...)
		v[2] ^= 0x40 // the revision, now far beyond the head
		return root.Put(keyHead, v)
	}); err != nil {
		t.Fatal(err)
	}
	var stored *StoredError
	var cut *CutShortError
	err := log.View(func(tx *events.Tx) error { return st.CheckHead(tx) })
	if !errors.As(err, &stored) || errors.As(err, &cut) || !strings.Contains(err.Error(), "head record is damaged") {
		t.Fatalf("CheckHead: got %v, want a damaged head record, not a log cut short", err)
	}
	if err := log.Update(func(tx *events.Tx) error { _, err := st.Rebuild(tx); return err }); err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	if err := log.View(func(tx *events.Tx) error { return st.CheckHead(tx) }); err != nil {
		t.Errorf("CheckHead after the rebuild: %v", err)
	}
}
