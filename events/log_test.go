package events_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// allPayloads returns one payload of every event type, with every field set.
func allPayloads() []events.Payload {
	src := eventstest.Source("readable-2024-06-07", "Launched in April 2023 following the Camp David summit.")
	src.URL = "https://example.org/a?b=1&c=<2>"
	src.Publisher = "Example Daily"
	src.Retrieved = "2024-06-08T10:00:00+09:00"
	tr := eventstest.Source("readable-ja", "2023年4月に発足")
	tr.Lang = "ja"
	tr.TranslationOf = "readable-2024-06-07"
	tr.Translator = "machine: example-mt"
	claim := eventstest.Claim("dtpn-launch", "readable-2024-06-07", "Disruptive Technology Protection Network", "launched", "April 2023", "Launched in April 2023")
	claim.As = "Innovation Technology Protection Network"
	claim.Value = events.Value{Kind: events.KindDate, Written: "April 2023", Date: "2023-04"}
	claim.Quote.Digest = src.Digest
	claim.Quote.Quote.Prefix = ""
	claim.Quote.Quote.Suffix = " following the"
	claim.Note = "the day is not given"
	rel := eventstest.Claim("dtpn-after", "readable-2024-06-07", "Disruptive Technology Protection Network", "launched", "x", "following the Camp David summit")
	rel.Value = events.Value{Kind: events.KindDate, Relation: &events.Relation{Op: events.RelAfter, To: events.FactRef{Subject: "Camp David summit", Predicate: "held"}}}
	qty := eventstest.Claim("members", "readable-ja", "Freedom Online Coalition", "members", "x", "約60カ国")
	qty.Value = events.Value{Kind: events.KindQuantity, Written: "約60カ国", Quantity: "~60 countries"}
	return []events.Payload{
		src,
		tr,
		&events.PredicateDefined{Name: "launched", Kind: events.KindDate},
		&events.PredicateDefined{Name: "member", Kind: events.KindEntity, Many: true},
		claim,
		rel,
		qty,
		&events.ClaimRetracted{Claim: "dtpn-after", Reason: "misread \"following\""},
		&events.AliasDeclared{Name: "US Canon", Entity: "Camp David summit", Kind: events.AliasMistranslation, Note: "machine translation", Claim: "dtpn-launch"},
		&events.AliasDeclared{Name: "FOC", Entity: "Freedom Online Coalition", Kind: events.AliasDistinct},
		&events.VerdictRecorded{
			Conflict: "value:dtpn/launched", Kind: "value", Decision: events.DecisionAccept,
			Claim: "dtpn-launch", Rejected: []events.ClaimID{"dtpn-after"},
			Claims: []events.ClaimID{"dtpn-launch", "dtpn-after"}, Note: "checked with the ministry", Seen: 7,
		},
		&events.VerdictRecorded{Conflict: "name:a/b", Kind: "name", Decision: events.DecisionSame, Names: []string{"US Canon", "Camp David"}, Seen: 9},
	}
}

func TestAppendScanRoundTrip(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	want := allPayloads()
	// Two batches, so that the chain crosses a transaction boundary.
	first, err := log.Append("archivist", want[:4]...)
	if err != nil {
		t.Fatalf("Append first batch: %v", err)
	}
	second, err := log.Append("fact-checker 김", want[4:]...)
	if err != nil {
		t.Fatalf("Append second batch: %v", err)
	}
	appended := append(first, second...)

	var scanned []events.Event
	err = log.View(func(tx *events.Tx) error {
		return tx.Scan(0, 0, func(e events.Event) error {
			scanned = append(scanned, e)
			return nil
		})
	})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if got, want := len(scanned), len(want); got != want {
		t.Fatalf("Scan saw %d events, want %d", got, want)
	}
	var prev events.Digest
	for i, e := range scanned {
		if !reflect.DeepEqual(e, appended[i]) {
			t.Errorf("revision %d: scanned event differs from the one Append returned:\ngot  %+v\nwant %+v", i+1, e, appended[i])
		}
		if got, want := e.Revision, events.Revision(i+1); got != want {
			t.Errorf("event %d: got revision %d, want %d", i, got, want)
		}
		if got, want := e.Type, want[i].EventType(); got != want {
			t.Errorf("revision %d: got type %q, want %q", e.Revision, got, want)
		}
		wantAuthor, wantTime := "archivist", eventstest.Epoch
		if i >= 4 {
			wantAuthor, wantTime = "fact-checker 김", eventstest.Epoch.Add(time.Second)
		}
		if got := e.Author; got != wantAuthor {
			t.Errorf("revision %d: got author %q, want %q", e.Revision, got, wantAuthor)
		}
		if got := e.RecordedAt; !got.Equal(wantTime) || got.Location() != time.UTC {
			t.Errorf("revision %d: got recorded-at %v, want %v in UTC", e.Revision, got, wantTime)
		}
		if got := e.Prev; got != prev {
			t.Errorf("revision %d: got prev %s, want %s", e.Revision, got, prev)
		}
		if got, want := e.Hash, events.ComputeHash(&e); got != want {
			t.Errorf("revision %d: stored hash %s, recomputed %s", e.Revision, got, want)
		}
		prev = e.Hash

		p, err := e.Decode()
		if err != nil {
			t.Errorf("revision %d: Decode: %v", e.Revision, err)
			continue
		}
		if !reflect.DeepEqual(p, want[i]) {
			t.Errorf("revision %d: payload did not survive:\ngot  %#v\nwant %#v", e.Revision, p, want[i])
		}
		if strings.Contains(string(e.Payload), `\u0026`) || strings.Contains(string(e.Payload), `\u003c`) {
			t.Errorf("revision %d: payload %s is HTML-escaped, want it as written", e.Revision, e.Payload)
		}

		got, err := events.Decode(events.Encode(&e))
		if err != nil {
			t.Errorf("revision %d: Decode(Encode(e)): %v", e.Revision, err)
		} else if !reflect.DeepEqual(got, e) {
			t.Errorf("revision %d: Decode(Encode(e)) is not e:\ngot  %+v\nwant %+v", e.Revision, got, e)
		}
	}
	head, hash, err := log.Head()
	if err != nil {
		t.Fatalf("Head: %v", err)
	}
	if got, want := head, events.Revision(len(want)); got != want {
		t.Errorf("got head %d, want %d", got, want)
	}
	if got, want := hash, prev; got != want {
		t.Errorf("got head hash %s, want %s", got, want)
	}
}

func TestDecodeCorruptRecord(t *testing.T) {
	e := events.Event{
		Revision: 3, Type: events.TypeClaimRetracted, RecordedAt: eventstest.Epoch, Author: "a",
		Payload: []byte(`{"claim":"c","reason":"r"}`),
	}
	e.Hash = events.ComputeHash(&e)
	rec := events.Encode(&e)
	tests := []struct {
		name string
		rec  []byte
	}{
		{"ErrCorruptRecord/Empty", nil},
		{"ErrCorruptRecord/HeaderOnly", rec[:65]},
		{"ErrCorruptRecord/Version2", append([]byte{2}, rec[1:]...)},
		{"ErrCorruptRecord/Truncated", rec[:len(rec)-1]},
		{"ErrCorruptRecord/TrailingByte", append(slices.Clone(rec), 0)},
		{"ErrCorruptRecord/HugeLength", append(slices.Clone(rec[:66]), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := events.Decode(tt.rec)
			if !errors.Is(err, events.ErrCorruptRecord) {
				t.Errorf("Decode: got error %v, want ErrCorruptRecord", err)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		got, err := events.Decode(rec)
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if !reflect.DeepEqual(got, e) {
			t.Errorf("got %+v, want %+v", got, e)
		}
	})
}

// logContents returns every event of the log and its head.
func logContents(t *testing.T, log *events.Log) ([]events.Event, events.Revision) {
	t.Helper()
	var list []events.Event
	var head events.Revision
	err := log.View(func(tx *events.Tx) error {
		head, _ = tx.Head()
		return tx.Scan(0, 0, func(e events.Event) error {
			list = append(list, e)
			return nil
		})
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	return list, head
}

func TestUpdateIsAtomic(t *testing.T) {
	errStop := errors.New("stop")
	tests := []struct {
		name    string
		fn      func(tx *events.Tx) error
		wantErr func(error) bool
	}{
		{
			name: "InvalidLastEvent",
			fn: func(tx *events.Tx) error {
				for _, p := range []events.Payload{
					eventstest.Source("second", "second source"),
					eventstest.Predicate("held", events.KindDate),
					eventstest.Predicate("", events.KindDate), // invalid: no name
				} {
					if _, err := tx.Append("a", p); err != nil {
						return err
					}
				}
				return nil
			},
			wantErr: func(err error) bool { return err != nil && strings.Contains(err.Error(), "predicate name is empty") },
		},
		{
			name: "DuplicateLastEvent",
			fn: func(tx *events.Tx) error {
				for _, p := range []events.Payload{
					eventstest.Predicate("held", events.KindDate),
					eventstest.Source("first", "other bytes"), // the slug is taken
				} {
					if _, err := tx.Append("a", p); err != nil {
						return err
					}
				}
				return nil
			},
			wantErr: func(err error) bool { var d *events.DuplicateError; return errors.As(err, &d) },
		},
		{
			name: "FnError",
			fn: func(tx *events.Tx) error {
				if _, err := tx.PutBlob([]byte("second source")); err != nil {
					return err
				}
				if _, err := tx.Append("a", eventstest.Source("second", "second source")); err != nil {
					return err
				}
				if _, err := tx.Append("a", eventstest.Predicate("held", events.KindDate)); err != nil {
					return err
				}
				return errStop
			},
			wantErr: func(err error) bool { return errors.Is(err, errStop) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := eventstest.MustOpenLog(t)
			if _, err := log.Append("a", eventstest.Source("first", "first source")); err != nil {
				t.Fatalf("Append: %v", err)
			}
			before, beforeHead := logContents(t, log)
			_, beforeHash, err := log.Head()
			if err != nil {
				t.Fatalf("Head: %v", err)
			}

			err = log.Update(tt.fn)
			if !tt.wantErr(err) {
				t.Fatalf("Update: got error %v, want the batch's error", err)
			}

			after, afterHead := logContents(t, log)
			if got, want := afterHead, beforeHead; got != want {
				t.Errorf("got head %d after the failed batch, want %d", got, want)
			}
			if _, h, _ := log.Head(); h != beforeHash {
				t.Errorf("got head hash %s after the failed batch, want %s", h, beforeHash)
			}
			if !reflect.DeepEqual(after, before) {
				t.Errorf("log changed by the failed batch:\ngot  %+v\nwant %+v", after, before)
			}
			err = log.View(func(tx *events.Tx) error {
				if rev, ok := tx.Lookup(events.IndexSourceID, "second"); ok {
					t.Errorf("index source-id has %q at revision %d after the failed batch, want nothing", "second", rev)
				}
				if rev, ok := tx.Lookup(events.IndexPredicate, "held"); ok {
					t.Errorf("index predicate has %q at revision %d after the failed batch, want nothing", "held", rev)
				}
				if _, err := tx.Blob(events.DigestOf([]byte("second source"))); !errors.Is(err, events.ErrNotFound) {
					t.Errorf("Blob of the failed batch: got error %v, want ErrNotFound", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}

			// The next batch continues the chain where it was.
			evs, err := log.Append("a", eventstest.Predicate("held", events.KindDate))
			if err != nil {
				t.Fatalf("Append after the failed batch: %v", err)
			}
			if got, want := evs[0].Revision, beforeHead+1; got != want {
				t.Errorf("got revision %d after the failed batch, want %d", got, want)
			}
			if got, want := evs[0].Prev, beforeHash; got != want {
				t.Errorf("got prev %s after the failed batch, want %s", got, want)
			}
		})
	}
}

func TestRevisionsGapFreeAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sillok.db")
	clock := eventstest.StepClock(eventstest.Epoch)
	opts := events.Options{Now: clock}
	log, err := events.Create(path, opts)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if _, err := log.Append("a", eventstest.Predicate("p1", events.KindText)); err != nil {
		t.Fatalf("Append: %v", err)
	}
	if _, err := log.Append("a", eventstest.Predicate("p2", events.KindText), eventstest.Predicate("p3", events.KindText)); err != nil {
		t.Fatalf("Append: %v", err)
	}
	if err := log.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for round := range 2 {
		log, err = events.Open(path, opts)
		if err != nil {
			t.Fatalf("Open (round %d): %v", round, err)
		}
		evs, err := log.Append("a",
			eventstest.Predicate(fmt.Sprintf("q%d-1", round), events.KindText),
			eventstest.Predicate(fmt.Sprintf("q%d-2", round), events.KindText))
		if err != nil {
			t.Fatalf("Append (round %d): %v", round, err)
		}
		if got, want := evs[0].Revision, events.Revision(4+2*round); got != want {
			t.Errorf("round %d: first revision after reopening: got %d, want %d", round, got, want)
		}
		if err := log.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	eventstest.MustCheck(t, path)

	log, err = events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer log.Close()
	list, head := logContents(t, log)
	if got, want := head, events.Revision(7); got != want {
		t.Errorf("got head %d, want %d", got, want)
	}
	for i, e := range list {
		if got, want := e.Revision, events.Revision(i+1); got != want {
			t.Errorf("event %d: got revision %d, want %d", i, got, want)
		}
	}
	var rep events.ChainReport
	err = log.View(func(tx *events.Tx) error {
		rep, err = tx.VerifyChain(nil)
		return err
	})
	if err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	if got, want := rep.Events, 7; got != want {
		t.Errorf("VerifyChain: got %d events, want %d", got, want)
	}
	if len(rep.Problems) != 0 {
		t.Errorf("VerifyChain: got problems %v, want none", rep.Problems)
	}
}

func TestAppendDuplicate(t *testing.T) {
	first := []events.Payload{
		eventstest.Source("alpha", "alpha bytes"),
		eventstest.Predicate("launched", events.KindDate),
		eventstest.Claim("c1", "alpha", "Network", "launched", "April", "in April"),
	}
	tests := []struct {
		name      string
		dup       events.Payload
		wantIndex string
		wantKey   string
	}{
		{"SameSourceDigest", eventstest.Source("beta", "alpha bytes"), events.IndexSourceDigest, string(events.DigestOf([]byte("alpha bytes")).Hex())},
		{"SameSourceID", eventstest.Source("alpha", "other bytes"), events.IndexSourceID, "alpha"},
		{"SamePredicate", eventstest.Predicate("launched", events.KindText), events.IndexPredicate, "launched"},
		{"SameClaimIDSameContent", eventstest.Claim("c1", "alpha", "Network", "launched", "April", "in April"), events.IndexClaim, "c1"},
		{"SameClaimIDOtherContent", eventstest.Claim("c1", "alpha", "Network", "launched", "May", "in May"), events.IndexClaim, "c1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := eventstest.MustOpenLog(t)
			if _, err := log.Append("a", first...); err != nil {
				t.Fatalf("Append: %v", err)
			}
			_, err := log.Append("a", tt.dup)
			var dup *events.DuplicateError
			if !errors.As(err, &dup) {
				t.Fatalf("Append of a duplicate: got error %v, want *events.DuplicateError", err)
			}
			if got, want := dup.Index, tt.wantIndex; got != want {
				t.Errorf("got index %q, want %q", got, want)
			}
			gotKey := dup.Key
			if dup.Index == events.IndexSourceDigest {
				gotKey = fmt.Sprintf("%x", dup.Key)
			}
			if got, want := gotKey, tt.wantKey; got != want {
				t.Errorf("got key %q, want %q", got, want)
			}
			if _, head := logContents(t, log); head != 3 {
				t.Errorf("got head %d after the duplicate, want 3", head)
			}
		})
	}
}

// TestAppendDuplicateSwallowed appends a duplicate, ignores the error and
// commits the transaction: the log must not keep any part of the refused
// event, and its index entries must stay consistent.
func TestAppendDuplicateSwallowed(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	if _, err := log.Append("a", eventstest.Source("alpha", "alpha bytes")); err != nil {
		t.Fatalf("Append: %v", err)
	}
	err := log.Update(func(tx *events.Tx) error {
		_, err := tx.Append("a", eventstest.Source("alpha", "other bytes"))
		var dup *events.DuplicateError
		if !errors.As(err, &dup) {
			t.Errorf("Append of a duplicate: got error %v, want *events.DuplicateError", err)
		}
		return nil // a caller that treats the duplicate as "already there"
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	list, head := logContents(t, log)
	if got, want := head, events.Revision(1); got != want {
		t.Errorf("got head %d, want %d: the refused event was stored", got, want)
	}
	if got, want := len(list), 1; got != want {
		t.Errorf("got %d events, want %d", got, want)
	}
	err = log.View(func(tx *events.Tx) error {
		d := events.DigestOf([]byte("other bytes"))
		if rev, ok := tx.Lookup(events.IndexSourceDigest, string(d[:])); ok {
			t.Errorf("index source-digest has the refused source's digest at revision %d, want nothing", rev)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReadOnly(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	if _, err := log.Append("a", eventstest.Predicate("p", events.KindText)); err != nil {
		t.Fatalf("Append: %v", err)
	}
	path := log.Path()
	if err := log.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	ro, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open read-only: %v", err)
	}
	defer ro.Close()
	called := false
	err = ro.Update(func(*events.Tx) error { called = true; return nil })
	if !errors.Is(err, events.ErrReadOnly) {
		t.Errorf("Update: got error %v, want ErrReadOnly", err)
	}
	if called {
		t.Errorf("Update called fn on a read-only log, want it refused before")
	}
	if _, err := ro.Append("a", eventstest.Predicate("q", events.KindText)); !errors.Is(err, events.ErrReadOnly) {
		t.Errorf("Append: got error %v, want ErrReadOnly", err)
	}
	if head, _, err := ro.Head(); err != nil || head != 1 {
		t.Errorf("Head: got %d, %v, want 1, nil", head, err)
	}
	err = ro.View(func(tx *events.Tx) error {
		if _, err := tx.Append("a", eventstest.Predicate("q", events.KindText)); !errors.Is(err, events.ErrReadOnly) {
			t.Errorf("Tx.Append in View: got error %v, want ErrReadOnly", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	ro.Close()
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(after, before) {
		t.Errorf("the read-only log changed the file")
	}
}

func TestClockReadOncePerTransaction(t *testing.T) {
	calls := 0
	step := eventstest.StepClock(time.Date(2024, 4, 25, 12, 0, 0, 0, time.FixedZone("KST", 9*3600)))
	log := eventstest.MustOpenLog(t, events.Options{NoSync: true, Now: func() time.Time { calls++; return step() }})

	first, err := log.Append("a",
		eventstest.Predicate("p1", events.KindText),
		eventstest.Predicate("p2", events.KindText),
		eventstest.Predicate("p3", events.KindText))
	if err != nil {
		t.Fatalf("Append: %v", err)
	}
	if got, want := calls, 1; got != want {
		t.Errorf("clock called %d times for one batch, want %d", got, want)
	}
	want := time.Date(2024, 4, 25, 3, 0, 0, 0, time.UTC)
	for _, e := range first {
		if got := e.RecordedAt; !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("revision %d: got recorded-at %v, want %v (UTC)", e.Revision, got, want)
		}
	}
	second, err := log.Append("a", eventstest.Predicate("p4", events.KindText))
	if err != nil {
		t.Fatalf("Append: %v", err)
	}
	if got, want := second[0].RecordedAt, want.Add(time.Second); !got.Equal(want) {
		t.Errorf("second batch: got recorded-at %v, want %v", got, want)
	}
	// A transaction that appends nothing does not read the clock.
	if err := log.Update(func(*events.Tx) error { return nil }); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if got, want := calls, 2; got != want {
		t.Errorf("clock called %d times for two batches and an empty update, want %d", got, want)
	}
}

func TestScanAndEvent(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	for i := range 5 {
		if _, err := log.Append("a", eventstest.Predicate(fmt.Sprintf("p%d", i+1), events.KindText)); err != nil {
			t.Fatalf("Append: %v", err)
		}
	}
	tests := []struct {
		name     string
		from, to events.Revision
		want     []events.Revision
	}{
		{"All", 0, 0, []events.Revision{1, 2, 3, 4, 5}},
		{"FromOne", 1, 0, []events.Revision{1, 2, 3, 4, 5}},
		{"From", 3, 0, []events.Revision{3, 4, 5}},
		{"FromTo", 2, 4, []events.Revision{2, 3, 4}},
		{"One", 4, 4, []events.Revision{4}},
		{"ToBeyondHead", 4, 9, []events.Revision{4, 5}},
		{"Empty/FromBeyondHead", 6, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []events.Revision
			err := log.View(func(tx *events.Tx) error {
				return tx.Scan(tt.from, tt.to, func(e events.Event) error {
					got = append(got, e.Revision)
					return nil
				})
			})
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Scan(%d, %d): got %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
	t.Run("StopsOnError", func(t *testing.T) {
		errStop := errors.New("stop")
		n := 0
		err := log.View(func(tx *events.Tx) error {
			return tx.Scan(0, 0, func(events.Event) error { n++; return errStop })
		})
		if !errors.Is(err, errStop) || n != 1 {
			t.Errorf("got error %v after %d calls, want errStop after 1", err, n)
		}
	})
	t.Run("Event", func(t *testing.T) {
		err := log.View(func(tx *events.Tx) error {
			e, err := tx.Event(3)
			if err != nil {
				t.Errorf("Event(3): %v", err)
			} else if p, _ := e.Decode(); p.(*events.PredicateDefined).Name != "p3" {
				t.Errorf("Event(3): got %+v, want predicate p3", p)
			}
			if _, err := tx.Event(6); !errors.Is(err, events.ErrNotFound) {
				t.Errorf("Event(6): got error %v, want ErrNotFound", err)
			}
			if rev, ok := tx.Lookup(events.IndexPredicate, "p2"); !ok || rev != 2 {
				t.Errorf("Lookup(predicate, p2): got %d, %v, want 2, true", rev, ok)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestBlobs(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	body := []byte("한미일 기술보호 네트워크")
	var d events.Digest
	err := log.Update(func(tx *events.Tx) error {
		var err error
		if d, err = tx.PutBlob(body); err != nil {
			return err
		}
		again, err := tx.PutBlob(body)
		if again != d {
			t.Errorf("PutBlob twice: got %s, want %s", again, d)
		}
		return err
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if got, want := d, events.DigestOf(body); got != want {
		t.Errorf("PutBlob: got digest %s, want %s", got, want)
	}
	err = log.View(func(tx *events.Tx) error {
		got, err := tx.Blob(d)
		if err != nil || !bytes.Equal(got, body) {
			t.Errorf("Blob: got %q, %v, want %q", got, err, body)
		}
		if msg := tx.VerifyBlob(d); msg != "" {
			t.Errorf("VerifyBlob of intact bytes: got %q, want \"\"", msg)
		}
		if msg := tx.VerifyBlob(events.DigestOf([]byte("x"))); !strings.Contains(msg, "missing") {
			t.Errorf("VerifyBlob of absent bytes: got %q, want it to say they are missing", msg)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tamperFile opens the closed archive at path with bbolt and runs fn on
// its log bucket in a read-write transaction.
func tamperFile(t *testing.T, path string, fn func(b *bolt.Bucket) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatalf("bbolt open: %v", err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { return fn(tx.Bucket([]byte("log"))) }); err != nil {
		t.Fatalf("tamper: %v", err)
	}
}

func logKey(r uint64) []byte { return binary.BigEndian.AppendUint64(nil, r) }

func TestVerifyChainTamper(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(b *bolt.Bucket) error
		// want is the set of revisions the problems name.
		want []events.Revision
	}{
		{"Intact", func(*bolt.Bucket) error { return nil }, nil},
		{"ModifiedPayload", func(b *bolt.Bucket) error {
			rec := slices.Clone(b.Get(logKey(2)))
			i := bytes.Index(rec, []byte("beta"))
			if i < 0 {
				return errors.New("payload of revision 2 not found")
			}
			rec[i] = 'z'
			return b.Put(logKey(2), rec)
		}, []events.Revision{2}},
		{"ModifiedTime", func(b *bolt.Bucket) error {
			rec := slices.Clone(b.Get(logKey(2)))
			rec[66]++ // the first byte of the recorded-at varint (the revision takes one byte)
			return b.Put(logKey(2), rec)
		}, []events.Revision{2}},
		{"ModifiedHashOfLast", func(b *bolt.Bucket) error {
			rec := slices.Clone(b.Get(logKey(3)))
			rec[40] ^= 1
			return b.Put(logKey(3), rec)
		}, []events.Revision{3}},
		{"RemovedMiddle", func(b *bolt.Bucket) error {
			return b.Delete(logKey(2))
		}, []events.Revision{2, 3}},
		{"SwappedPair", func(b *bolt.Bucket) error {
			r2, r3 := slices.Clone(b.Get(logKey(2))), slices.Clone(b.Get(logKey(3)))
			if err := b.Put(logKey(2), r3); err != nil {
				return err
			}
			return b.Put(logKey(3), r2)
		}, []events.Revision{2, 3}},
		{"TruncatedRecord", func(b *bolt.Bucket) error {
			rec := b.Get(logKey(2))
			return b.Put(logKey(2), slices.Clone(rec[:len(rec)-3]))
		}, []events.Revision{2}},
		{"RevisionKeySkipped", func(b *bolt.Bucket) error {
			// Move revision 3 to key 4: its record says 3, and 3 is missing.
			r3 := slices.Clone(b.Get(logKey(3)))
			if err := b.Delete(logKey(3)); err != nil {
				return err
			}
			return b.Put(logKey(4), r3)
		}, []events.Revision{3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := eventstest.MustOpenLog(t)
			for _, name := range []string{"alpha", "beta", "gamma"} {
				if _, err := log.Append("a", eventstest.Predicate(name, events.KindText)); err != nil {
					t.Fatalf("Append: %v", err)
				}
			}
			path := log.Path()
			if err := log.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			tamperFile(t, path, tt.tamper)

			log, err := events.Open(path, events.Options{ReadOnly: true})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer log.Close()
			var rep events.ChainReport
			err = log.View(func(tx *events.Tx) error {
				rep, err = tx.VerifyChain(nil)
				return err
			})
			if err != nil {
				t.Fatalf("VerifyChain: %v", err)
			}
			var got []events.Revision
			for _, p := range rep.Problems {
				if p.Message == "" {
					t.Errorf("problem %+v has no message", p)
				}
				if !slices.Contains(got, p.Revision) {
					got = append(got, p.Revision)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got problems at revisions %v, want %v; problems: %v", got, tt.want, rep.Problems)
			}
		})
	}
}

// TestVerifyChainNonRevisionKey stores a key that is not 8 bytes long in
// the log bucket, as a hand-edited or damaged file might have: first in
// key order (VerifyChain meets it first) and last (it is the "head").
func TestVerifyChainNonRevisionKey(t *testing.T) {
	for _, key := range []string{"\x00\x00\x00", "zzz"} {
		t.Run(fmt.Sprintf("Problem/Key%q", key), func(t *testing.T) {
			log := eventstest.MustOpenLog(t)
			if _, err := log.Append("a", eventstest.Predicate("alpha", events.KindText)); err != nil {
				t.Fatalf("Append: %v", err)
			}
			path := log.Path()
			log.Close()
			tamperFile(t, path, func(b *bolt.Bucket) error { return b.Put([]byte(key), []byte("x")) })

			log, err := events.Open(path, events.Options{ReadOnly: true})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer log.Close()
			var rep events.ChainReport
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("VerifyChain panicked on the log key %q: %v", key, r)
					}
				}()
				err = log.View(func(tx *events.Tx) error {
					rep, err = tx.VerifyChain(nil)
					return err
				})
			}()
			if err == nil && len(rep.Problems) == 0 {
				t.Errorf("VerifyChain: got no problems and no error, want the bad key reported")
			}
		})
	}
}

// writeTempFile writes b to a new file in a temporary directory.
func writeTempFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// otherBoltFile makes a bbolt file and runs fn in an update on it.
func otherBoltFile(t *testing.T, fn func(tx *bolt.Tx) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// archiveWithMeta makes an archive and then changes its meta bucket.
func archiveWithMeta(t *testing.T, fn func(meta *bolt.Bucket) error) string {
	t.Helper()
	log := eventstest.MustOpenLog(t)
	path := log.Path()
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return fn(tx.Bucket([]byte("meta"))) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name    string
		path    func(t *testing.T) string
		wantErr error
		wantMsg string
	}{
		{"ErrNoArchive", func(t *testing.T) string { return filepath.Join(t.TempDir(), "missing.db") }, events.ErrNoArchive, "does not exist"},
		{"ErrNotArchive/Directory", func(t *testing.T) string { return t.TempDir() }, events.ErrNotArchive, "directory"},
		{"ErrNotArchive/EmptyFile", func(t *testing.T) string { return writeTempFile(t, "empty.db", nil) }, events.ErrNotArchive, "empty"},
		{"ErrNotArchive/TextFile", func(t *testing.T) string {
			return writeTempFile(t, "notes.txt", []byte("source: readable-2024-06-07\nclaims: []\n"))
		}, events.ErrNotArchive, "not a Sillok archive"},
		{"ErrNotArchive/LargeTextFile", func(t *testing.T) string {
			return writeTempFile(t, "big.txt", bytes.Repeat([]byte("The network was launched in April 2023.\n"), 1000))
		}, events.ErrNotArchive, "not a Sillok archive"},
		{"ErrNotArchive/ZeroPages", func(t *testing.T) string {
			return writeTempFile(t, "zero.db", make([]byte, 16384))
		}, events.ErrNotArchive, "not a Sillok archive"},
		{"ErrNotArchive/OtherBoltFile", func(t *testing.T) string {
			return otherBoltFile(t, func(tx *bolt.Tx) error {
				b, err := tx.CreateBucket([]byte("widgets"))
				if err != nil {
					return err
				}
				return b.Put([]byte("k"), []byte("v"))
			})
		}, events.ErrNotArchive, "without Sillok's header"},
		{"ErrNotArchive/EmptyBoltFile", func(t *testing.T) string {
			return otherBoltFile(t, func(*bolt.Tx) error { return nil })
		}, events.ErrNotArchive, "without Sillok's header"},
		{"ErrNotArchive/WrongMagic", func(t *testing.T) string {
			return archiveWithMeta(t, func(meta *bolt.Bucket) error { return meta.Put([]byte("magic"), []byte("sillok archiv")) })
		}, events.ErrNotArchive, "without Sillok's header"},
		{"ErrTooNew", func(t *testing.T) string {
			return archiveWithMeta(t, func(meta *bolt.Bucket) error { return meta.Put([]byte("format"), binary.AppendUvarint(nil, 99)) })
		}, events.ErrTooNew, "format 99 and this program reads up to format 1; use a newer sillok"},
	}
	for _, tt := range tests {
		for _, readOnly := range []bool{false, true} {
			name := tt.name + "/ReadWrite"
			if readOnly {
				name = tt.name + "/ReadOnly"
			}
			t.Run(name, func(t *testing.T) {
				path := tt.path(t)
				before, beforeErr := os.ReadFile(path)
				log, err := events.Open(path, events.Options{ReadOnly: readOnly, Timeout: time.Second})
				if err == nil {
					log.Close()
					t.Fatalf("Open(%q): got a log, want error %v", path, tt.wantErr)
				}
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Open: got error %v, want %v", err, tt.wantErr)
				}
				var pe *events.PathError
				if !errors.As(err, &pe) || pe.Path != path {
					t.Errorf("Open: got error %#v, want a *PathError for %q", err, path)
				}
				if msg := err.Error(); !strings.Contains(msg, tt.wantMsg) || !strings.Contains(msg, path) {
					t.Errorf("Open: got message %q, want it to name %q and say %q", msg, path, tt.wantMsg)
				}
				after, afterErr := os.ReadFile(path)
				if !bytes.Equal(after, before) || (beforeErr == nil) != (afterErr == nil) {
					t.Errorf("Open changed %s: %d bytes before (%v), %d after (%v)", path, len(before), beforeErr, len(after), afterErr)
				}
			})
		}
	}
}

func TestCreate(t *testing.T) {
	t.Run("ErrExists/Archive", func(t *testing.T) {
		log := eventstest.MustOpenLog(t)
		if _, err := log.Append("a", eventstest.Predicate("p", events.KindText)); err != nil {
			t.Fatal(err)
		}
		path := log.Path()
		log.Close()
		before, _ := os.ReadFile(path)
		if l, err := events.Create(path, events.Options{}); !errors.Is(err, events.ErrExists) {
			if l != nil {
				l.Close()
			}
			t.Errorf("Create on an archive: got error %v, want ErrExists", err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
			t.Errorf("Create changed the existing archive")
		}
	})
	t.Run("ErrExists/TextFile", func(t *testing.T) {
		path := writeTempFile(t, "notes.txt", []byte("hello\n"))
		if l, err := events.Create(path, events.Options{}); !errors.Is(err, events.ErrExists) {
			if l != nil {
				l.Close()
			}
			t.Errorf("Create on a text file: got error %v, want ErrExists", err)
		}
		if got, _ := os.ReadFile(path); string(got) != "hello\n" {
			t.Errorf("Create changed the text file to %q", got)
		}
	})
	t.Run("ErrExists/EmptyFile", func(t *testing.T) {
		path := writeTempFile(t, "empty.db", nil)
		if l, err := events.Create(path, events.Options{}); !errors.Is(err, events.ErrExists) {
			if l != nil {
				l.Close()
			}
			t.Errorf("Create on an empty file: got error %v, want ErrExists", err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
			t.Errorf("Create on an empty file: got %v, %v, want it still empty", fi.Size(), err)
		}
	})
	t.Run("ErrNotExist/NoDirectory", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "no", "such", "sillok.db")
		if l, err := events.Create(path, events.Options{}); err == nil {
			l.Close()
			t.Errorf("Create in a missing directory: got a log, want an error")
		}
	})
	t.Run("OK", func(t *testing.T) {
		log := eventstest.MustOpenLog(t)
		head, hash, err := log.Head()
		if err != nil || head != 0 || !hash.IsZero() {
			t.Errorf("Head of a new archive: got %d, %s, %v, want 0, zero, nil", head, hash, err)
		}
	})
}

// TestCreateConcurrent runs two Creates of one path at once, as two
// "sillok init" might: one must win, the other fail, and the winner's
// archive must survive.
func TestCreateConcurrent(t *testing.T) {
	for round := range 50 {
		path := filepath.Join(t.TempDir(), "sillok.db")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() {
				log, err := events.Create(path, events.Options{NoSync: true, Timeout: 5 * time.Second})
				errs[i] = err
				if err == nil {
					_, errs[i] = log.Append("a", eventstest.Predicate("p", events.KindText))
					log.Close()
				}
			})
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: got errors %v, want exactly one Create to fail", round, errs)
		}
		for _, err := range errs {
			if err != nil && !errors.Is(err, events.ErrExists) {
				t.Errorf("round %d: the losing Create: got error %v, want ErrExists", round, err)
			}
		}
		log, err := events.Open(path, events.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("round %d: the winner's archive: %v", round, err)
		}
		head, _, err := log.Head()
		log.Close()
		if head != 1 || err != nil {
			t.Fatalf("round %d: got head %d, %v, want the winner's event", round, head, err)
		}
	}
}

func TestOpenInUse(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	path := log.Path()
	for _, readOnly := range []bool{false, true} {
		name := "ErrInUse/ReadWrite"
		if readOnly {
			name = "ErrInUse/ReadOnly"
		}
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			// bbolt's flock is per open file description on Linux, so a
			// second open in this process contends like another process.
			second, err := events.Open(path, events.Options{ReadOnly: readOnly, Timeout: 200 * time.Millisecond})
			elapsed := time.Since(start)
			if err == nil {
				second.Close()
				t.Fatalf("second Open while the log is open for writing: got a log, want ErrInUse")
			}
			if !errors.Is(err, events.ErrInUse) {
				t.Errorf("got error %v, want ErrInUse", err)
			}
			if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "in use by another process") {
				t.Errorf("got message %q, want it to name %s and say it is in use", msg, path)
			}
			if elapsed > 3*time.Second {
				t.Errorf("Open took %s to give up, want about the 200ms timeout", elapsed)
			}
		})
	}
	t.Run("OK/AfterClose", func(t *testing.T) {
		if err := log.Close(); err != nil {
			t.Fatal(err)
		}
		second, err := events.Open(path, events.Options{Timeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatalf("Open after the first log closed: %v", err)
		}
		second.Close()
	})
	t.Run("OK/ReadersShare", func(t *testing.T) {
		r1, err := events.Open(path, events.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatalf("first reader: %v", err)
		}
		defer r1.Close()
		r2, err := events.Open(path, events.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatalf("second reader: %v", err)
		}
		r2.Close()
	})
}

func TestPayloadValidateRefusesAppend(t *testing.T) {
	tests := []struct {
		name    string
		p       events.Payload
		author  string
		wantMsg string
	}{
		{"ErrInvalid/SourceSlug", eventstest.Source("Not A Slug", "x"), "a", "not a slug"},
		{"ErrInvalid/SourceNoDigest", &events.SourceArchived{ID: "s"}, "a", "no digest"},
		{"ErrInvalid/PredicateKind", eventstest.Predicate("p", "colour"), "a", "unknown value kind"},
		{"ErrInvalid/ClaimNoQuote", eventstest.Claim("c", "s", "X", "p", "v", ""), "a", "no quote"},
		{"ErrInvalid/ClaimTwoValues", func() events.Payload {
			c := eventstest.Claim("c", "s", "X", "p", "v", "q")
			c.Value.Entity = "E"
			return c
		}(), "a", "exactly one"},
		{"ErrInvalid/RetractionNoReason", &events.ClaimRetracted{Claim: "c", Reason: "  "}, "a", "reason"},
		{"ErrInvalid/AliasKind", &events.AliasDeclared{Name: "a", Entity: "b", Kind: "nickname"}, "a", "unknown alias kind"},
		{"ErrInvalid/VerdictDecision", &events.VerdictRecorded{Conflict: "c", Decision: "maybe"}, "a", "unknown decision"},
		{"ErrInvalid/ControlCharacter", eventstest.Predicate("p\x00", events.KindText), "a", "control character"},
		{"ErrInvalid/AuthorControlCharacter", eventstest.Predicate("p", events.KindText), "a\x1b[31m", "author contains a control character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := eventstest.MustOpenLog(t)
			_, err := log.Append(tt.author, tt.p)
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Append: got error %v, want one that says %q", err, tt.wantMsg)
			}
			if _, head := logContents(t, log); head != 0 {
				t.Errorf("got head %d, want 0", head)
			}
		})
	}
}

func ExampleLog_Append() {
	dir, err := os.MkdirTemp("", "sillok-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	clock := func() time.Time { return time.Date(2024, 6, 7, 9, 0, 0, 0, time.UTC) }
	log, err := events.Create(filepath.Join(dir, "sillok.db"), events.Options{Now: clock})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer log.Close()

	body := []byte("The network was launched in April 2023.")
	appended, err := log.Append("archivist",
		&events.SourceArchived{ID: "example-2024", Digest: events.DigestOf(body), Size: int64(len(body)), MediaType: "text/plain"},
		&events.PredicateDefined{Name: "launched", Kind: events.KindDate},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range appended {
		fmt.Println(e.Revision, e.Type, e.RecordedAt.Format(time.RFC3339), e.Author, e.Prev.IsZero())
	}

	_ = log.View(func(tx *events.Tx) error {
		rep, err := tx.VerifyChain(nil)
		fmt.Printf("%d events, head %d, %d problems, %v\n", rep.Events, rep.Head, len(rep.Problems), err)
		return nil
	})
	// Output:
	// 1 source.archived 2024-06-07T09:00:00Z archivist true
	// 2 predicate.defined 2024-06-07T09:00:00Z archivist false
	// 2 events, head 2, 0 problems, <nil>
}
