package projections

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
)

// logJSON encodes a payload as the log does (events.marshalPayload).
func logJSON(t testing.TB, p events.Payload) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// checkFastClaim checks that decodePayload returns what Event.Decode
// returns for payload b, and reports whether the fast path took it.
func checkFastClaim(t testing.TB, b []byte) (fast bool) {
	t.Helper()
	e := events.Event{Revision: 7, Type: events.TypeClaimAsserted, Payload: b}
	want, wantErr := e.Decode()
	got, gotErr := decodePayload(e)
	if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
		t.Fatalf("payload %q: decodePayload error %v, Event.Decode %v", b, gotErr, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("payload %q:\ndecodePayload %#v\nEvent.Decode  %#v", b, got, want)
	}
	_, fast = fastClaim(b)
	return fast
}

func randomClaim(rng *rand.Rand) *events.ClaimAsserted {
	pick := func(opts ...string) string { return opts[rng.IntN(len(opts))] }
	str := func() string {
		if rng.IntN(10) == 0 { // needs escaping
			return pick("tab\there", "quote \" inside", `back\slash`, "line\u2028sep", "bad \xff utf8", "\x01ctl", "nl\n\r\b\f", "\"\"")
		}
		return pick("", "a", "Kotaren Misuko Council", "シハチク・協会", "<b>&amp;</b>", "Ünïcödé ß", "emoji 🙂", "x\u007fy", "e\u0301")
	}
	c := &events.ClaimAsserted{
		ID: events.ClaimID(pick("c1", "claim-0001", "")), Source: events.SourceID(pick("src-1", "")),
		Subject: str(), As: str(), Predicate: pick("founded", "staff", "led by", ""), Note: str(),
		Value: events.Value{Kind: events.ValueKind(pick("date", "quantity", "entity", "text", "")),
			Written: str(), Date: pick("", "2021-03-05", "2023-08"), Anchor: pick("", "2024-04-26"),
			Quantity: str(), Entity: str(), Text: str()},
		Quote: events.Anchor{Normalization: rng.IntN(3), Quote: events.TextQuoteSelector{Exact: str(), Prefix: str(), Suffix: str()},
			Position:    events.TextPositionSelector{Start: rng.IntN(100000), End: []int{0, 5, -3, 1 << 40, 999999999999999999}[rng.IntN(5)]},
			Occurrences: rng.IntN(4)},
	}
	for i := range c.Quote.Digest {
		c.Quote.Digest[i] = byte(rng.Uint32())
	}
	if rng.IntN(4) == 0 {
		c.Value.Relation = &events.Relation{Op: events.RelationOp(pick("after", "before")), To: events.FactRef{Subject: str(), Predicate: str()}}
	}
	return c
}

func TestFastClaimMatchesJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	fast := 0
	for range 5000 {
		b := logJSON(t, randomClaim(rng))
		if checkFastClaim(t, b) {
			fast++
		}
		// Damaged and altered forms.
		for range 3 {
			m := bytes.Clone(b)
			switch rng.IntN(4) {
			case 0:
				m[rng.IntN(len(m))] = "{}[]\",:0a9-.e\\ \x00\xff"[rng.IntN(16)]
			case 1:
				m = m[:rng.IntN(len(m))]
			case 2:
				i := rng.IntN(len(m))
				m = append(m[:i:i], append([]byte(" "), m[i:]...)...)
			case 3:
				m = bytes.Replace(m, []byte(`"exact"`), []byte(`"Exact"`), 1)
			}
			checkFastClaim(t, m)
		}
	}
	if fast < 1000 {
		t.Errorf("the fast path took %d of 5000 payloads", fast)
	}
	for _, b := range []string{
		`null`, `{}`, `[]`, ``, `{"id":"c1"}`,
		`{"id":"c1","source":"s","subject":"x","predicate":"p","value":{"kind":"text","text":"t"},"quote":{"digest":"sha256:` + strings.Repeat("A", 64) + `","normalization":1,"quote":{"exact":"e"},"position":{"start":0,"end":01},"occurrences":1}}`,
		`{"id":"c1","source":"s","subject":"x","predicate":"p","value":{"kind":"text","text":"t"},"quote":{"digest":"sha256:` + strings.Repeat("A", 64) + `","normalization":1,"quote":{"exact":"e"},"position":{"start":0,"end":1.0},"occurrences":1}}`,
		`{"id":"c1","source":"s","subject":"x","predicate":"p","value":{"kind":"text","text":"t"},"quote":{"digest":"sha256:` + strings.Repeat("g", 64) + `","normalization":1,"quote":{"exact":"e"},"position":{"start":0,"end":1},"occurrences":1}}`,
		`{"id":"c1","source":"s","subject":"x","predicate":"p","value":{"kind":"text","text":"t"},"quote":{"digest":"` + strings.Repeat("a", 64) + `","normalization":1,"quote":{"exact":"e"},"position":{"start":0,"end":1},"occurrences":1}}`,
		`{"id":"c1","source":"s","subject":"x","predicate":"p","value":{"kind":"text","text":"t"},"quote":{"digest":"sha256:` + strings.Repeat("a", 64) + `","normalization":1,"quote":{"exact":"e"},"position":{"start":0,"end":1},"occurrences":1}} `,
		`{"id":"c1","source":"s","subject":"x","as":"","predicate":"p","value":{"kind":"text","text":"t"},"quote":{"digest":"sha256:` + strings.Repeat("a", 64) + `","normalization":1,"quote":{"exact":"e"},"position":{"start":0,"end":1},"occurrences":1}}`,
		`{"id":"c1","source":"s","subject":"x","predicate":"p","value":{"kind":"text","text":"t"},"quote":{"digest":"sha256:` + strings.Repeat("a", 64) + `","normalization":1,"quote":{"exact":"e"},"position":{"start":0,"end":1234567890123456789},"occurrences":1}}`,
	} {
		checkFastClaim(t, []byte(b))
	}
	// Escapes, valid and not.
	base := logJSON(t, &events.ClaimAsserted{ID: "c1", Source: "s", Subject: "SUBJ", Predicate: "p", Value: events.Value{Kind: "text", Text: "t"}})
	for _, esc := range []string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u0041`, `\u00e9`, `\u00E9`, `\u2028`, `\ufffd`, `\u0000`,
		`\ud83d\ude42`, `\ud83d`, `\ude42`, `\u12`, `\u12g4`, `\'`, `\x41`, `\`, `a\`, "\xe3\\n\x81\x82", "\xe3\x81\\n\x82", "\xc3\\u00a9", `\u00`, "\\u00e9\xa9"} {
		checkFastClaim(t, bytes.Replace(base, []byte("SUBJ"), []byte("a"+esc+"b"), 1))
		checkFastClaim(t, bytes.Replace(base, []byte("SUBJ"), []byte(esc), 1))
	}
	for _, esc := range []string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u0041`, `\u00e9`, `\u2028`, `\ufffd`, `\u0000`} {
		if !checkFastClaim(t, bytes.Replace(base, []byte("SUBJ"), []byte("a"+esc+"b"), 1)) {
			t.Errorf("the fast path did not take the escape %s", esc)
		}
	}
}

// TestFastClaimOnLog checks every claim of a log, which the fast path must
// take.
func TestFastClaimOnLog(t *testing.T) {
	log, _ := foldLog(t, 500)
	err := log.View(func(tx *events.Tx) error {
		return tx.Scan(1, 0, func(e events.Event) error {
			if e.Type == events.TypeClaimAsserted && !checkFastClaim(t, e.Payload) {
				t.Errorf("revision %d: the fast path did not take %s", e.Revision, e.Payload)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzFastClaim(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		f.Add(logJSON(f, randomClaim(rng)))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkFastClaim(t, b)
	})
}

func BenchmarkDecodeClaim(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	c := randomClaim(rng)
	c.Subject, c.As, c.Note, c.Value = "Kotaren Misuko Council", "", "", events.Value{Kind: events.KindQuantity, Written: "about 12,000 staff", Quantity: "~12000 staff"}
	c.Quote.Quote = events.TextQuoteSelector{Exact: "Zinuma Hehinun Initiative employs about 12,000 staff", Prefix: "e was founded in February 2023. ", Suffix: ". Tunigide Tukugisa Forum is hea"}
	e := events.Event{Type: events.TypeClaimAsserted, Payload: logJSON(b, c)}
	if _, ok := fastClaim(e.Payload); !ok {
		b.Fatal("not fast")
	}
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			decodePayload(e)
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			e.Decode()
		}
	})
}
