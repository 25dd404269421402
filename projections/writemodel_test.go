package projections

import (
	"testing"

	"github.com/sillok/sillok/events"
)

// TestWriteModelChunks writes a rebuilt model in many small transactions
// and checks that reads ignore it until the last one commits, and that it
// then equals the model of a replay key for key.
func TestWriteModelChunks(t *testing.T) {
	log, text := foldLog(t, 40)
	st := &Store{Text: func(_ *events.Tx, s *events.SourceArchived) (string, error) { return text(s) }}
	defer func(n int) { modelChunk = n }(modelChunk)
	modelChunk = 512
	var head events.Revision
	if err := log.Update(func(tx *events.Tx) (err error) { head, _, err = st.RebuildWithoutModel(tx); return err }); err != nil {
		t.Fatal(err)
	}
	s := NewState() // a replay of the whole log, not the checkpoint WriteModel decodes
	if err := log.View(func(tx *events.Tx) error { return fold(tx, s, head, st.textFunc(tx), nil) }); err != nil {
		t.Fatal(err)
	}
	want, err := ModelKeys(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := log.View(func(tx *events.Tx) error {
		if _, ok := st.OpenModel(tx, head); ok {
			t.Error("a rebuild without the model left one that reads use")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	size := 0
	for _, kv := range want {
		size += len(kv.Key) + len(kv.Value)
	}
	if size < 4*modelChunk {
		t.Fatalf("the model is %d bytes: too small for several transactions of %d", size, modelChunk)
	}
	if err := st.WriteModel(log, head); err != nil {
		t.Fatal(err)
	}
	if err := log.View(func(tx *events.Tx) error {
		got, ok, err := st.ModelAt(tx, head)
		if err != nil || !ok {
			t.Fatalf("ModelAt the head: %v %v", ok, err)
		}
		if d := CompareModel(got, want); d != "" {
			t.Errorf("the model written in chunks differs from a replay's: %s", d)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
