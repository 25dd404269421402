package events_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// recordedLog returns a log with a source (and its bytes), a predicate and
// two claims, appended in two transactions, and its events.
func recordedLog(t *testing.T) (*events.Log, []events.Event, []byte) {
	t.Helper()
	body := "The network was launched in April 2023 <b>&</b>."
	log := eventstest.MustOpenLog(t, events.Options{Now: eventstest.StepClock(eventstest.Epoch.Add(123456789 * time.Nanosecond))})
	err := log.Update(func(tx *events.Tx) error {
		if _, err := tx.PutBlob([]byte(body)); err != nil {
			return err
		}
		if _, err := tx.Append("kim", eventstest.Source("s1", body)); err != nil {
			return err
		}
		_, err := tx.Append("kim", eventstest.Predicate("launched", events.KindText))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := log.Append("lee <fact-checker>", eventstest.Claim("c1", "s1", "Network", "launched", "April 2023", "launched in April 2023"),
		eventstest.Claim("c2", "s1", "Network", "launched", "<2023>", "The network")); err != nil {
		t.Fatal(err)
	}
	var evs []events.Event
	if err := log.View(func(tx *events.Tx) error {
		return tx.Scan(1, 0, func(e events.Event) error { evs = append(evs, e); return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return log, evs, []byte(body)
}

func TestAppendRecorded(t *testing.T) {
	src, evs, body := recordedLog(t)
	wantRev, wantHash, _ := src.Head()

	t.Run("OK", func(t *testing.T) {
		dst := eventstest.MustOpenLog(t)
		err := dst.Update(func(tx *events.Tx) error {
			if _, err := tx.PutBlob(body); err != nil {
				return err
			}
			for _, e := range evs[:2] {
				if _, err := tx.AppendRecorded(e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A second transaction, then an ordinary Append after them.
		err = dst.Update(func(tx *events.Tx) error {
			for _, e := range evs[2:] {
				if _, err := tx.AppendRecorded(e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rev, hash, _ := dst.Head()
		if rev != wantRev || hash != wantHash {
			t.Errorf("got head %d %s, want %d %s", rev, hash, wantRev, wantHash)
		}
		err = dst.View(func(tx *events.Tx) error {
			i := 0
			return tx.Scan(1, 0, func(e events.Event) error {
				w := evs[i]
				i++
				if !e.RecordedAt.Equal(w.RecordedAt) || e.Author != w.Author || !bytes.Equal(e.Payload, w.Payload) || e.Hash != w.Hash {
					t.Errorf("revision %d: got %+v, want %+v", e.Revision, e, w)
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := chainOf(dst)
		if err != nil || len(rep.Problems) > 0 {
			t.Errorf("VerifyChain: %v %v", err, rep)
		}
		// The claim index was written: the same claim again is a duplicate.
		_, err = dst.Append("kim", eventstest.Claim("c1", "s1", "Network", "launched", "April 2023", "launched in April 2023"))
		var dup *events.DuplicateError
		if !errors.As(err, &dup) {
			t.Errorf("got %v appending c1 again, want a DuplicateError", err)
		}
		if _, err := dst.Append("kim", eventstest.Claim("c3", "s1", "Network", "launched", "2023", "The network")); err != nil {
			t.Errorf("Append after AppendRecorded: %v", err)
		}
	})

	refused := []struct {
		name   string
		mutate func(evs []events.Event) []events.Event
		blob   bool
		want   string
	}{
		{"ErrNotNext", func(evs []events.Event) []events.Event { return evs[1:] }, true, "revision 2: does not follow the head revision 0"},
		{"ErrBrokenChain", func(evs []events.Event) []events.Event {
			e := evs[1]
			e.Prev[0] ^= 1
			return []events.Event{evs[0], e}
		}, true, "revision 2: its previous hash"},
		{"ErrAlteredPayload", func(evs []events.Event) []events.Event {
			e := evs[2]
			e.Payload = bytes.Replace(bytes.Clone(e.Payload), []byte("April"), []byte("Apri1"), 1)
			return []events.Event{evs[0], evs[1], e}
		}, true, "revision 3: its hash is"},
		{"ErrAlteredAuthor", func(evs []events.Event) []events.Event {
			e := evs[0]
			e.Author = "someone else"
			return []events.Event{e}
		}, true, "revision 1: its hash is"},
		{"ErrRehashedForeignPayload", func(evs []events.Event) []events.Event {
			// Valid JSON, hashed right, but not the form the log writes.
			e := evs[1]
			e.Payload = []byte(`{ "name":"launched","kind":"text"}`)
			e.Hash = events.ComputeHash(&e)
			return []events.Event{evs[0], e}
		}, true, "revision 2: "},
		{"ErrNoBlob", func(evs []events.Event) []events.Event { return evs[:1] }, false, "revision 1: the bytes of source s1"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			dst := eventstest.MustOpenLog(t)
			err := dst.Update(func(tx *events.Tx) error {
				if c.blob {
					if _, err := tx.PutBlob(body); err != nil {
						return err
					}
				}
				for _, e := range c.mutate(evs) {
					if _, err := tx.AppendRecorded(e); err != nil {
						return err
					}
				}
				return nil
			})
			var re *events.RecordedError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want a RecordedError saying %q", err, c.want)
			}
			if rev, _, _ := dst.Head(); rev != 0 {
				t.Errorf("got head %d after a refused transaction, want 0", rev)
			}
		})
	}
}

func chainOf(l *events.Log) (rep events.ChainReport, err error) {
	err = l.View(func(tx *events.Tx) error {
		rep, err = tx.VerifyChain(nil)
		return err
	})
	return rep, err
}
