package events_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// fuzzSeedEvents are events like those a log holds, for seeding the fuzz
// targets of the record encoding.
func fuzzSeedEvents(tb testing.TB) []events.Event {
	tb.Helper()
	var out []events.Event
	prev := events.Digest{}
	for i, p := range []events.Payload{
		eventstest.Source("alpha", "The network was launched in April 2023."),
		eventstest.Predicate("launched", events.KindDate),
		eventstest.Claim("c1", "alpha", "Network", "launched", "April 2023", "launched in April 2023"),
		&events.ClaimRetracted{Claim: "c1", Reason: "misread; 誤読"},
		&events.AliasDeclared{Name: "US Canon", Entity: "Camp David summit", Kind: events.AliasMistranslation},
	} {
		payload, err := json.Marshal(p)
		if err != nil {
			tb.Fatal(err)
		}
		e := events.Event{
			Revision:   events.Revision(i + 1),
			Type:       p.EventType(),
			RecordedAt: eventstest.Epoch.Add(time.Duration(i) * time.Second),
			Author:     "archivist",
			Payload:    payload,
			Prev:       prev,
		}
		e.Hash = events.ComputeHash(&e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

// sameEvent reports whether two events are equal field by field (a nil
// and an empty payload are the same: both encode as no bytes).
func sameEvent(a, b events.Event) bool {
	return a.Revision == b.Revision && a.Type == b.Type && a.RecordedAt.Equal(b.RecordedAt) &&
		a.RecordedAt.Location() == b.RecordedAt.Location() && a.Author == b.Author &&
		bytes.Equal(a.Payload, b.Payload) && a.Prev == b.Prev && a.Hash == b.Hash
}

// FuzzDecode feeds events.Decode arbitrary bytes: it must never panic, it
// must report what it refuses as ErrCorruptRecord, and an event it decodes
// must survive Encode and Decode again unchanged (and with the same hash),
// and Encode of it must be a fixed point. A record need not re-encode to
// the same bytes: a varint may be written with more bytes than needed.
func FuzzDecode(f *testing.F) {
	for _, e := range fuzzSeedEvents(f) {
		rec := events.Encode(&e)
		f.Add(rec)
		f.Add(rec[:len(rec)-1])
		f.Add(rec[:66])
		f.Add(append(bytes.Clone(rec), 0))
	}
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Add(append([]byte{2}, make([]byte, 70)...))
	// Over-long varints and lengths that run past the end.
	f.Add(append(append([]byte{1}, make([]byte, 64)...), 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01))
	f.Add(append(append([]byte{1}, make([]byte, 64)...), 1, 0, 0xff, 0xff, 0xff, 0xff, 0x0f))
	f.Fuzz(func(t *testing.T, rec []byte) {
		e, err := events.Decode(rec)
		if err != nil {
			if !errors.Is(err, events.ErrCorruptRecord) {
				t.Fatalf("Decode(%x): error %v does not wrap ErrCorruptRecord", rec, err)
			}
			return
		}
		enc := events.Encode(&e)
		again, err := events.Decode(enc)
		if err != nil {
			t.Fatalf("Decode(%x) = %+v, but Decode(Encode(that)) = %v", rec, e, err)
		}
		if !sameEvent(again, e) {
			t.Fatalf("Decode(Encode(Decode(%x))) = %+v, want %+v", rec, again, e)
		}
		if got := events.Encode(&again); !bytes.Equal(got, enc) {
			t.Fatalf("Encode is not a fixed point: %x, then %x", enc, got)
		}
		if events.ComputeHash(&again) != events.ComputeHash(&e) {
			t.Fatalf("the hash of a re-decoded event changed")
		}
		if e.RecordedAt.Location() != time.UTC {
			t.Fatalf("Decode gave a time in %v, want UTC", e.RecordedAt.Location())
		}
	})
}

// FuzzEncodeDecode builds an event from fuzzed fields: Decode(Encode(e))
// must be e, and the hash computed over it the same.
func FuzzEncodeDecode(f *testing.F) {
	for _, e := range fuzzSeedEvents(f) {
		f.Add(uint64(e.Revision), e.RecordedAt.UnixNano(), string(e.Type), e.Author, []byte(e.Payload), e.Prev[:], e.Hash[:])
	}
	f.Add(uint64(0), int64(0), "", "", []byte(nil), []byte(nil), []byte(nil))
	f.Add(^uint64(0), int64(-1<<63), "\x00\xff", "\xed\xa0\x80", []byte("not json"), bytes.Repeat([]byte{0xff}, 40), []byte{1})
	f.Add(uint64(1<<63), int64(1<<63-1), "claim.asserted", "김", []byte(`{"id":"x"}`), []byte{}, bytes.Repeat([]byte{7}, 32))
	f.Fuzz(func(t *testing.T, rev uint64, ns int64, typ, author string, payload, prev, hash []byte) {
		e := events.Event{
			Revision:   events.Revision(rev),
			Type:       events.Type(typ),
			RecordedAt: time.Unix(0, ns).UTC(),
			Author:     author,
			Payload:    json.RawMessage(payload),
		}
		copy(e.Prev[:], prev)
		copy(e.Hash[:], hash)
		rec := events.Encode(&e)
		got, err := events.Decode(rec)
		if err != nil {
			t.Fatalf("Decode(Encode(%+v)): %v", e, err)
		}
		if !sameEvent(got, e) {
			t.Fatalf("Decode(Encode(e)) = %+v, want %+v", got, e)
		}
		if events.ComputeHash(&got) != events.ComputeHash(&e) {
			t.Fatalf("the hash of a decoded event differs from the original's")
		}
	})
}
