package events_test

import (
	"bytes"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// TestVerifyChainBorrowed checks that VerifyChainBorrowed reports what
// VerifyChain reports, and shows fn the same events, on intact and
// tampered logs.
func TestVerifyChainBorrowed(t *testing.T) {
	tampers := map[string]func(b *bolt.Bucket) error{
		"Intact": func(*bolt.Bucket) error { return nil },
		"ModifiedPayload": func(b *bolt.Bucket) error {
			rec := slices.Clone(b.Get(logKey(2)))
			rec[len(rec)-3] ^= 1
			return b.Put(logKey(2), rec)
		},
		"TruncatedRecord": func(b *bolt.Bucket) error {
			rec := b.Get(logKey(3))
			return b.Put(logKey(3), slices.Clone(rec[:len(rec)-3]))
		},
		"SwappedPair": func(b *bolt.Bucket) error {
			r2, r3 := slices.Clone(b.Get(logKey(2))), slices.Clone(b.Get(logKey(3)))
			if err := b.Put(logKey(2), r3); err != nil {
				return err
			}
			return b.Put(logKey(3), r2)
		},
		"RemovedMiddle": func(b *bolt.Bucket) error { return b.Delete(logKey(4)) },
		"BadKey":        func(b *bolt.Bucket) error { return b.Put([]byte{0}, []byte("y")) }, // sorts first
	}
	for name, tamper := range tampers {
		t.Run(name, func(t *testing.T) {
			log := eventstest.MustOpenLog(t)
			for _, p := range []events.Payload{
				eventstest.Source("alpha", "The network was launched in April 2023."),
				eventstest.Predicate("launched", events.KindDate),
				eventstest.Claim("c1", "alpha", "Network", "launched", "April 2023", "launched in April 2023"),
				eventstest.Claim("c2", "alpha", "Network", "launched", "2023", "2023"),
				&events.ClaimRetracted{Claim: "c1", Reason: "misread"},
			} {
				if _, err := log.Append("a", p); err != nil {
					t.Fatalf("Append: %v", err)
				}
			}
			path := log.Path()
			if err := log.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			tamperFile(t, path, tamper)
			log, err := events.Open(path, events.Options{ReadOnly: true})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer log.Close()
			err = log.View(func(tx *events.Tx) error {
				var want, got []events.Event
				wantRep, err := tx.VerifyChain(func(e events.Event) error {
					want = append(want, e)
					return nil
				})
				if err != nil {
					return err
				}
				gotRep, err := tx.VerifyChainBorrowed(func(e events.Event) error {
					e.Payload = bytes.Clone(e.Payload)
					got = append(got, e)
					return nil
				})
				if err != nil {
					return err
				}
				if !slices.Equal(gotRep.Problems, wantRep.Problems) || gotRep.Events != wantRep.Events || gotRep.Head != wantRep.Head {
					t.Errorf("VerifyChainBorrowed reported %+v, VerifyChain %+v", gotRep, wantRep)
				}
				if !slices.EqualFunc(got, want, sameEvent) {
					t.Errorf("VerifyChainBorrowed showed %+v, VerifyChain %+v", got, want)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
