package events

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"
)

// sameDecoded reports whether two events decoded from the same record are
// equal field by field.
func sameDecoded(a, b Event) bool {
	return a.Revision == b.Revision && a.Type == b.Type && a.RecordedAt.Equal(b.RecordedAt) &&
		a.RecordedAt.Location() == b.RecordedAt.Location() && a.Author == b.Author &&
		bytes.Equal(a.Payload, b.Payload) && a.Prev == b.Prev && a.Hash == b.Hash
}

// checkBorrowing checks that the borrowing decoder returns what Decode
// returns for rec, and that the payload it returns is rec's own bytes.
func checkBorrowing(t *testing.T, d *borrowingDecoder, rec []byte) {
	t.Helper()
	want, wantErr := Decode(rec)
	got, gotErr := d.decode(rec)
	if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
		t.Fatalf("record %x: borrowing decoder error %v, Decode %v", rec, gotErr, wantErr)
	}
	if wantErr != nil {
		return
	}
	if !sameDecoded(got, want) {
		t.Fatalf("record %x:\nborrowing %+v\nDecode    %+v", rec, got, want)
	}
	if len(got.Payload) > 0 && (&got.Payload[0] != &rec[len(rec)-len(got.Payload)] || cap(got.Payload) != len(got.Payload)) {
		t.Fatalf("record %x: the payload is not the record's own bytes, capped", rec)
	}
}

// TestBorrowingDecoderMatchesDecode checks the decoder of
// VerifyChainBorrowed against Decode on records of every type and author,
// and on every truncation and many alterations of them.
func TestBorrowingDecoderMatchesDecode(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	var d borrowingDecoder
	types := []Type{TypeSourceArchived, TypePredicateDefined, TypeClaimAsserted, TypeClaimRetracted,
		TypeAliasDeclared, TypeVerdictRecorded, "", "claim.asserted2", "unknown"}
	authors := []string{"", "archivist", "gen", "archivist", "기록자"}
	for i := range 400 {
		e := Event{
			Revision:   Revision(rng.Uint64N(1 << uint(rng.IntN(64)))),
			Type:       types[rng.IntN(len(types))],
			RecordedAt: time.Unix(0, rng.Int64()-rng.Int64()),
			Author:     authors[rng.IntN(len(authors))],
			Payload:    logJSON(t, randomClaim(rng)),
		}
		if i%7 == 0 {
			e.Payload = nil
		}
		for j := range e.Prev {
			e.Prev[j] = byte(rng.Uint32())
		}
		e.Hash = ComputeHash(&e)
		rec := Encode(&e)
		checkBorrowing(t, &d, rec)
		for n := range min(len(rec), 90) {
			checkBorrowing(t, &d, rec[:n])
		}
		checkBorrowing(t, &d, rec[:len(rec)-1])
		for range 20 {
			m := bytes.Clone(rec)
			m[rng.IntN(len(m))] = byte(rng.Uint32())
			checkBorrowing(t, &d, m)
		}
		checkBorrowing(t, &d, append(bytes.Clone(rec), 0))
	}
}

// checkClaimQuote checks DecodeClaimQuote against Event.Decode and the
// fast path of Event.Decode for payload b.
func checkClaimQuote(t testing.TB, b []byte) {
	t.Helper()
	q, ok := DecodeClaimQuote(string(b))
	if _, fast := fastClaim(b); ok != fast {
		t.Fatalf("payload %q: DecodeClaimQuote ok %v, the fast path of Event.Decode %v", b, ok, fast)
	}
	if !ok {
		return
	}
	p, err := Event{Revision: 7, Type: TypeClaimAsserted, Payload: b}.Decode()
	if err != nil {
		t.Fatalf("payload %q: DecodeClaimQuote took it, Event.Decode: %v", b, err)
	}
	c := p.(*ClaimAsserted)
	if want := (ClaimQuote{ID: c.ID, Source: c.Source, Quote: c.Quote}); !reflect.DeepEqual(q, want) {
		t.Fatalf("payload %q:\nDecodeClaimQuote %#v\nEvent.Decode     %#v", b, q, want)
	}
}

// TestDecodeClaimQuote checks that DecodeClaimQuote takes exactly the
// payloads the fast path of Event.Decode takes, and returns the same ID,
// source and anchor, on random claims and damaged forms of them.
func TestDecodeClaimQuote(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 5000 {
		b := logJSON(t, randomClaim(rng))
		checkClaimQuote(t, b)
		for _, m := range damaged(rng, b, "exact") {
			checkClaimQuote(t, m)
		}
	}
	base := logJSON(t, &ClaimAsserted{ID: "c1", Source: "s", Subject: "SUBJ", Predicate: "p", Value: Value{Kind: "text", Text: "t"},
		Quote: Anchor{Quote: TextQuoteSelector{Exact: "EXACT", Prefix: "PREFIX"}}})
	for _, esc := range []string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u0041`, `\u00e9`, `\u2028`, `\ufffd`, `\u0000`,
		`\ud83d\ude42`, `\ud83d`, `\u12`, `\'`, `\`, "\xe3\\n\x81\x82", "\xc3\\u00a9", "\x01", "\xff"} {
		for _, field := range []string{"SUBJ", "EXACT", "PREFIX"} {
			checkClaimQuote(t, bytes.Replace(base, []byte(field), []byte("a"+esc+"b"), 1))
			checkClaimQuote(t, bytes.Replace(base, []byte(field), []byte(esc), 1))
		}
	}
}

func FuzzDecodeClaimQuote(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		f.Add(logJSON(f, randomClaim(rng)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkClaimQuote(t, b)
	})
}

// TestBorrowingDecoderAllocs checks that a record of a known type by the
// author of the record before it costs no allocation.
func TestBorrowingDecoderAllocs(t *testing.T) {
	e := Event{Revision: 3, Type: TypeClaimAsserted, RecordedAt: time.Unix(5, 0), Author: "archivist", Payload: []byte(`{"id":"c1"}`)}
	rec := Encode(&e)
	var d borrowingDecoder
	if _, err := d.decode(rec); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { d.decode(rec) }); n != 0 {
		t.Errorf("decode: %v allocations per record, want 0", n)
	}
}

// checkSourceDigest checks Event.Decode against encoding/json alone, and
// DecodeSourceDigest against Event.Decode, for payload b; it reports
// whether DecodeSourceDigest took it (exactly when the fast path of
// Event.Decode does: one grammar).
func checkSourceDigest(t testing.TB, b []byte) bool {
	t.Helper()
	e := Event{Revision: 7, Type: TypeSourceArchived, Payload: b}
	id, d, ok := DecodeSourceDigest(b)
	checkAgainstJSON(t, TypeSourceArchived, b)
	p, err := e.Decode()
	if _, fast := fastSource(b); fast != ok {
		t.Fatalf("payload %q: DecodeSourceDigest ok %v, the fast path of Event.Decode %v", b, ok, fast)
	}
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("payload %q: DecodeSourceDigest took it, Event.Decode: %v", b, err)
	}
	if s := p.(*SourceArchived); s.ID != id || s.Digest != d {
		t.Fatalf("payload %q: DecodeSourceDigest %s %s, Event.Decode %s %s", b, id, d, s.ID, s.Digest)
	}
	return true
}

func randomSource(rng *rand.Rand) *SourceArchived {
	pick := func(opts ...string) string { return opts[rng.IntN(len(opts))] }
	str := func() string {
		if rng.IntN(10) == 0 {
			return pick("tab\there", "quote \" inside", `back\slash`, "line\u2028sep", "bad \xff utf8", "\x01ctl", "\"\"")
		}
		return pick("", "a", "northgate-times-2024-06-25-1", "シハチク・協会", "<b>&amp;</b>", "https://example.org/a?b=1&c=<2>", "e\u0301")
	}
	s := &SourceArchived{ID: SourceID(str()), Size: []int64{0, 1, 1614, -3, 1 << 62}[rng.IntN(5)], MediaType: pick("text/plain", "text/html", ""),
		Title: str(), URL: str(), Publisher: str(), Lang: pick("", "en", "ja"), Published: pick("", "2024-06-25"),
		Retrieved: pick("", "2024-06-08T10:00:00+09:00"), TranslationOf: SourceID(str()), Translator: str()}
	for i := range s.Digest {
		s.Digest[i] = byte(rng.Uint32())
	}
	return s
}

// TestDecodeSourceDigest checks DecodeSourceDigest against Event.Decode
// on random sources in the log's form (which it must take when their
// strings are valid UTF-8 that needs no \u escape and their size has at
// most 18 digits), and on damaged and altered forms of them.
func TestDecodeSourceDigest(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	took := 0
	for range 5000 {
		s := randomSource(rng)
		b := logJSON(t, s)
		if checkSourceDigest(t, b) {
			took++
		}
		if enc, err := marshalPayload(s); err == nil && 0 <= s.Size && s.Size < 1e18 && utf8.Valid(enc) && !bytes.Contains(enc, []byte(`\u`)) &&
			!checkSourceDigest(t, enc) {
			t.Errorf("DecodeSourceDigest did not take %s", enc)
		}
		for _, m := range damaged(rng, b, "digest") {
			checkSourceDigest(t, m)
		}
	}
	if took < 1000 {
		t.Errorf("DecodeSourceDigest took %d of 5000 payloads", took)
	}
}

func FuzzDecodeSourceDigest(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		f.Add(logJSON(f, randomSource(rng)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkSourceDigest(t, b)
	})
}
