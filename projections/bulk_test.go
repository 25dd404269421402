package projections_test

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/sources"
)

// checkpointsStored appends one event in each of n write transactions,
// calling CatchUp after each with Store.Bulk set for all but the last, and
// returns the revisions at which a new newest checkpoint appeared, the
// head, and the revisions Check finds differing from a replay at the end.
func checkpointsStored(t *testing.T, n int, bulk bool) (stored []events.Revision, head events.Revision, bad []events.Revision) {
	t.Helper()
	log := eventstest.MustOpenLog(t)
	st := &projections.Store{Interval: 10, Text: sources.StoredText}
	for i := range n {
		st.Bulk = bulk && i < n-1
		err := log.Update(func(tx *events.Tx) error {
			if _, err := tx.Append("t", eventstest.Predicate(fmt.Sprintf("p%d", i), events.KindText)); err != nil {
				return err
			}
			if err := st.CatchUp(tx); err != nil {
				return err
			}
			b := tx.KV().Bucket([]byte("projections")).Bucket([]byte("checkpoints"))
			if k, _ := b.Cursor().Last(); k != nil {
				r := events.Revision(binary.BigEndian.Uint64(k))
				if len(stored) == 0 || stored[len(stored)-1] != r {
					stored = append(stored, r)
				}
			}
			head, _ = tx.Head()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err := log.View(func(tx *events.Tx) error {
		var err error
		bad, err = st.Check(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return stored, head, bad
}

// TestBulkSpacing checks that a bulk load stores checkpoints spaced by
// newest/2 and, once Bulk is cleared, one at the head as usual; that it
// stores fewer than a load without Bulk; and that what it stores is the
// log's state.
func TestBulkSpacing(t *testing.T) {
	const n = 2000
	normal, _, bad := checkpointsStored(t, n, false)
	if len(bad) > 0 {
		t.Fatalf("without Bulk: checkpoints %v differ from a replay", bad)
	}
	bulk, head, bad := checkpointsStored(t, n, true)
	if len(bad) > 0 {
		t.Fatalf("with Bulk: checkpoints %v differ from a replay", bad)
	}
	for i := 1; i < len(bulk)-1; i++ {
		if prev, r := bulk[i-1], bulk[i]; r < prev+max(10, prev/2) {
			t.Errorf("with Bulk: checkpoint at %d only %d events after the one at %d", r, r-prev, prev)
		}
	}
	if last := bulk[len(bulk)-1]; last != head {
		t.Errorf("with Bulk: the last transaction left the newest checkpoint at %d, want the head %d", last, head)
	}
	if len(bulk) >= len(normal)/2 {
		t.Errorf("with Bulk: %d checkpoints stored, without: %d; want far fewer", len(bulk), len(normal))
	}
	t.Logf("%d events: %d checkpoints stored without Bulk, %d with", n, len(normal), len(bulk))
}
