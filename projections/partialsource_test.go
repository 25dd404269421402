package projections

import (
	"bytes"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// TestStoredSketches checks that a replay takes the sources' sketches from
// the read model instead of reading and sketching their texts again, that
// the state is the same as a fresh replay's, and that a damaged record is
// not used.
func TestStoredSketches(t *testing.T) {
	log, text := foldLog(t, 2000)
	st := &Store{Text: func(_ *events.Tx, s *events.SourceArchived) (string, error) { return text(s) }}
	if err := log.Update(func(tx *events.Tx) error { _, err := st.Rebuild(tx); return err }); err != nil {
		t.Fatal(err)
	}
	replay := func() (enc []byte, texts int) {
		counting := func(s *events.SourceArchived) (string, error) { texts++; return text(s) }
		err := log.View(func(tx *events.Tx) error {
			head, _ := tx.Head()
			s := NewState()
			if err := foldStored(tx, s, head, counting, storedSketches(tx), nil); err != nil {
				return err
			}
			enc = encodeState(s)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return enc, texts
	}
	var fresh []byte
	var sources int
	if err := log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		s := NewState()
		err := fold(tx, s, head, text, nil)
		fresh, sources = encodeState(s), len(s.Sources)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if sources < 10 {
		t.Fatalf("the log has %d sources: too few", sources)
	}
	got, texts := replay()
	if texts != 0 {
		t.Errorf("a replay with the model read %d of %d sources' texts, want none", texts, sources)
	}
	if !bytes.Equal(got, fresh) {
		t.Error("the state replayed with the stored sketches differs from a fresh replay's")
	}

	// One record damaged in place: that source is sketched again.
	if err := log.Update(func(tx *events.Tx) error {
		cur := model(tx.KV()).Bucket(bucketCur)
		k, v := cur.Cursor().Seek([]byte(pSketch))
		v = bytes.Clone(v)
		v[len(v)-5] ^= 1
		return cur.Put(bytes.Clone(k), v)
	}); err != nil {
		t.Fatal(err)
	}
	got, texts = replay()
	if texts != 1 {
		t.Errorf("a replay with one damaged record read %d sources' texts, want 1", texts)
	}
	if !bytes.Equal(got, fresh) {
		t.Error("the state replayed with a damaged record differs from a fresh replay's")
	}
}

// TestEmptySketchRecords checks sources whose texts have no words (an
// empty sketch, which copy detection leaves alone): their records read
// back as empty sketches, and after incremental writes of them, and after
// a full write that replays them with the stored sketches, the model
// equals a replay's and the stored checkpoint holds empty sketches.
func TestEmptySketchRecords(t *testing.T) {
	sk := SketchText("... !!! ,,,")
	if !sk.IsEmpty() {
		t.Fatal("the sketch of punctuation is not empty")
	}
	r, err := decodeSourceRecord(encodeSourceRecord(3, "", &sk))
	if err != nil || !r.sketch.IsEmpty() || r.rev != 3 {
		t.Fatalf("an empty sketch's record reads back as %v (rev %d, IsEmpty %v)", err, r.rev, r.sketch.IsEmpty())
	}

	m := newModelLog(t, 3)
	log, st, step, src := m.log, m.st, m.step, m.source
	step("a source with words", eventstest.Predicate("motto", events.KindText), src("register", "the harbour register of the provinces"))
	partial := st.PartialWrites
	step("a source without words", src("dots", "... !!!"))
	step("another", src("dashes", "--- ???"))
	if st.PartialWrites != partial+2 {
		t.Errorf("the two sources took the incremental path %d times, want 2", st.PartialWrites-partial)
	}
	// Full writes replay the sources with their stored sketches, and
	// store a checkpoint.
	step("a predicate", eventstest.Predicate("staff", events.KindQuantity))
	step("another predicate", eventstest.Predicate("founded", events.KindDate))
	if err := log.View(func(tx *events.Tx) error {
		_, v := checkpoints(tx.KV()).Cursor().Last()
		s, err := decodeState(v, nil)
		if err != nil {
			return err
		}
		for _, id := range []events.SourceID{"dots", "dashes"} {
			if !s.Sources[id].Sketch.IsEmpty() {
				t.Errorf("the stored checkpoint holds a sketch of %s that is not empty", id)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
