package events_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// Tx.Append queues the puts it knows cannot fail and performs them on a
// second goroutine (see writer.go); after Tx.Bolt it performs every put at
// once, as it returns. TestAppendQueuedMatchesDirect runs the same mixed
// workload both ways (with and without a Bolt call at the start of every
// transaction) and requires the same results, event for event, and the
// same bytes in the log and index buckets.

// script is a deterministic mix of appends (in and out of key order, with
// duplicates), lookups, reads and rolled-back transactions.
func script(t *testing.T, log *events.Log, direct bool) []string {
	r := rand.New(rand.NewPCG(7, 11))
	var out []string
	note := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	var sources []string
	claims := 0
	var payloads []events.Payload // appended ones, for duplicates
	next := func() events.Payload {
		switch k := r.IntN(20); {
		case k == 0 || len(sources) == 0:
			id := fmt.Sprintf("src-%d", r.IntN(1_000_000))
			if r.IntN(2) == 0 {
				id = fmt.Sprintf("s%06d", len(sources)) // in key order
			}
			sources = append(sources, id)
			return eventstest.Source(id, fmt.Sprintf("body %d %d", len(sources), r.IntN(1000)))
		case k == 1:
			return eventstest.Predicate(fmt.Sprintf("pred-%d", r.IntN(5000)), events.KindText)
		case k == 2:
			return &events.AliasDeclared{Name: fmt.Sprintf("N%d", r.IntN(100)), Entity: fmt.Sprintf("E%d", r.IntN(100)), Kind: events.AliasVariant}
		case k == 3:
			return &events.ClaimRetracted{Claim: events.ClaimID(fmt.Sprintf("c%07d", r.IntN(claims+1))), Reason: "test"}
		case k == 4 && len(payloads) > 0:
			return payloads[r.IntN(len(payloads))] // most likely a duplicate
		case k == 5:
			return &events.VerdictRecorded{Conflict: "value:x", Kind: "value", Decision: events.DecisionDismiss, Note: strings.Repeat("n", r.IntN(50))}
		}
		claims++
		id := fmt.Sprintf("c%07d", claims) // in key order, mostly
		if r.IntN(10) == 0 {
			id = fmt.Sprintf("c-%x", r.Uint64()) // or not
		}
		return eventstest.Claim(id, sources[r.IntN(len(sources))], fmt.Sprintf("Subject %d", r.IntN(300)), "said", fmt.Sprintf("v%d", r.IntN(9)), "quote")
	}
	indexes := []string{events.IndexSourceDigest, events.IndexSourceID, events.IndexClaim, events.IndexPredicate, events.IndexAlias}
	for txn := 0; txn < 60; txn++ {
		size := []int{1, 3, 40, 130, 700}[r.IntN(5)]
		rollback := r.IntN(8) == 0
		var batch []events.Payload
		err := log.Update(func(tx *events.Tx) error {
			if direct {
				tx.KV()
			}
			for i := 0; i < size; i++ {
				switch r.IntN(40) {
				case 0:
					rev, ok := tx.Lookup(indexes[r.IntN(len(indexes))], fmt.Sprintf("c%07d", r.IntN(claims+5)))
					note("lookup %d %v", rev, ok)
				case 1:
					rev, ok := tx.Lookup(events.IndexClaim, fmt.Sprintf("c%07d", claims+1+r.IntN(3)))
					note("lookup beyond %d %v", rev, ok)
				case 2:
					head, _ := tx.Head()
					if head > 0 {
						e, err := tx.Event(1 + events.Revision(r.IntN(int(head))))
						note("event %d %x %v", e.Revision, e.Hash, err)
					}
				case 3:
					n := 0
					err := tx.IndexKeys(indexes[r.IntN(len(indexes))], func(string, events.Revision) error { n++; return nil })
					note("index keys %d %v", n, err)
				case 4:
					d, err := tx.PutBlob([]byte(fmt.Sprint("blob ", r.IntN(50))))
					note("blob %s %v", d, err)
				case 5:
					if r.IntN(4) == 0 {
						tx.KV() // from here on, direct in both runs
					}
				}
				p := next()
				e, err := tx.Append("author", p)
				if err != nil {
					note("append error %v", err)
					continue
				}
				batch = append(batch, p)
				note("append %d %s %x %x %s", e.Revision, e.Type, e.Prev, e.Hash, e.Payload)
			}
			note("appended %d", len(tx.Appended()))
			if rollback {
				return errors.New("roll back")
			}
			return nil
		})
		note("update %d: %v", txn, err)
		if err == nil {
			payloads = append(payloads, batch...)
		}
	}
	err := log.View(func(tx *events.Tx) error {
		rep, err := tx.VerifyChain(nil)
		note("verify %d %d %v %v", rep.Events, rep.Head, rep.Problems, err)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// dump lists every key and value of the log and index buckets.
func dump(t *testing.T, log *events.Log) []string {
	var out []string
	err := log.Bolt().View(func(tx *bolt.Tx) error {
		var walk func(prefix string, b *bolt.Bucket) error
		walk = func(prefix string, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				if v == nil {
					return walk(prefix+string(k)+"/", b.Bucket(k))
				}
				out = append(out, fmt.Sprintf("%s%x=%x", prefix, k, v))
				return nil
			})
		}
		for _, name := range []string{"log", "index", "blobs"} {
			if err := walk(name+"/", tx.Bucket([]byte(name))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAppendQueuedMatchesDirect(t *testing.T) {
	queued, direct := eventstest.MustOpenLog(t), eventstest.MustOpenLog(t)
	got, want := script(t, queued, false), script(t, direct, true)
	if !reflect.DeepEqual(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("step %d: queued %q, direct %q", i, got[i], want[i])
			}
		}
		t.Fatalf("queued run has %d steps, direct %d", len(got), len(want))
	}
	if !strings.Contains(strings.Join(got, "\n"), "already exists") {
		t.Error("the script appended no duplicate")
	}
	if gd, wd := dump(t, queued), dump(t, direct); !reflect.DeepEqual(gd, wd) {
		t.Errorf("the archives differ: %d and %d keys", len(gd), len(wd))
	}
}

// TestAppendRollbackAndPanic: a transaction that fails or panics after
// many appends leaves nothing of them, and the log goes on.
func TestAppendRollbackAndPanic(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	claim := func(i int) events.Payload {
		return eventstest.Claim(fmt.Sprintf("c%05d", i), "alpha", "Network", "launched", "April", "in April")
	}
	if _, err := log.Append("a", eventstest.Source("alpha", "alpha bytes"), claim(0)); err != nil {
		t.Fatal(err)
	}
	errStop := errors.New("stop")
	err := log.Update(func(tx *events.Tx) error {
		for i := 1; i <= 1000; i++ {
			if _, err := tx.Append("a", claim(i)); err != nil {
				return err
			}
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Update: got %v, want %v", err, errStop)
	}
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("Update panicked with %v, want boom", r)
			}
		}()
		log.Update(func(tx *events.Tx) error {
			for i := 1; i <= 1000; i++ {
				if _, err := tx.Append("a", claim(i)); err != nil {
					return err
				}
			}
			panic("boom")
		})
	}()
	if _, head := logContents(t, log); head != 2 {
		t.Fatalf("head %d after a rolled-back and a panicked transaction, want 2", head)
	}
	err = log.Update(func(tx *events.Tx) error {
		for i := 1; i <= 1000; i++ {
			if _, err := tx.Append("a", claim(i)); err != nil {
				return err
			}
		}
		if rev, ok := tx.Lookup(events.IndexClaim, "c00500"); !ok || rev != 502 {
			t.Errorf("Lookup(c00500) = %d, %v; want 502, true", rev, ok)
		}
		if _, ok := tx.Lookup(events.IndexClaim, "c01001"); ok {
			t.Error("Lookup(c01001) found it")
		}
		_, err := tx.Append("a", claim(999))
		var dup *events.DuplicateError
		if !errors.As(err, &dup) {
			t.Errorf("Append of a duplicate: got %v, want a DuplicateError", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	list, head := logContents(t, log)
	if head != 1002 || len(list) != 1002 {
		t.Fatalf("head %d, %d events; want 1002", head, len(list))
	}
	for i, e := range list {
		if e.Revision != events.Revision(i+1) {
			t.Fatalf("event %d has revision %d", i, e.Revision)
		}
	}
	err = log.View(func(tx *events.Tx) error {
		rep, err := tx.VerifyChain(nil)
		if err == nil && len(rep.Problems) > 0 {
			t.Errorf("VerifyChain: %v", rep.Problems)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAppendedIsStable: Appended returns every event, in order, however
// many; the events Append returned stay as they were.
func TestAppendedIsStable(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	err := log.Update(func(tx *events.Tx) error {
		if got := tx.Appended(); len(got) != 0 {
			t.Errorf("Appended before any Append: %d events", len(got))
		}
		var want []events.Event
		for i := range 3000 {
			e, err := tx.Append("a", &events.ClaimRetracted{Claim: events.ClaimID(fmt.Sprint("c", i)), Reason: "r"})
			if err != nil {
				return err
			}
			want = append(want, e)
			if i%777 == 0 || i == 2999 {
				got := tx.Appended()
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("after %d appends, Appended differs", i+1)
				}
			}
		}
		for i, e := range want {
			if !bytes.Contains(e.Payload, []byte(fmt.Sprintf(`"c%d"`, i))) {
				t.Fatalf("event %d: payload %s", i, e.Payload)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAppendReopen: the last keys of the indexes are read from the file in
// a new transaction; keys before them are checked for duplicates.
func TestAppendReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.db")
	log, err := events.Create(path, events.Options{NoSync: true, Now: eventstest.StepClock(eventstest.Epoch)})
	if err != nil {
		t.Fatal(err)
	}
	var batch []events.Payload
	for i := range 500 {
		batch = append(batch, &events.PredicateDefined{Name: fmt.Sprintf("p%04d", 2*i), Kind: events.KindText})
	}
	if _, err := log.Append("a", batch...); err != nil {
		t.Fatal(err)
	}
	log.Close()
	log, err = events.Open(path, events.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	err = log.Update(func(tx *events.Tx) error {
		for i := range 1000 {
			_, err := tx.Append("a", &events.PredicateDefined{Name: fmt.Sprintf("p%04d", i), Kind: events.KindText})
			var dup *events.DuplicateError
			if isDup := errors.As(err, &dup); isDup != (i%2 == 0) {
				t.Errorf("p%04d: got %v", i, err)
			}
		}
		for i := range 500 {
			if _, err := tx.Append("a", &events.PredicateDefined{Name: fmt.Sprintf("p%04d", 2000+i), Kind: events.KindText}); err != nil {
				t.Errorf("p%04d: %v", 2000+i, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	log.View(func(tx *events.Tx) error {
		return tx.IndexKeys(events.IndexPredicate, func(string, events.Revision) error { n++; return nil })
	})
	if n != 1500 {
		t.Errorf("%d predicates in the index, want 1500", n)
	}
}
