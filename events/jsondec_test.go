package events

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// logJSON encodes a payload as encoding/json does (the reference the
// log's encoder is held to).
func logJSON(t testing.TB, p Payload) []byte {
	t.Helper()
	b, err := marshalPayloadReflect(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkFastClaim checks Event.Decode on claim payload b against
// encoding/json (checkAgainstJSON), and reports whether the fast path took
// it (then the grammar took it too).
func checkFastClaim(t testing.TB, b []byte) (fast bool) {
	t.Helper()
	took := checkAgainstJSON(t, TypeClaimAsserted, b)
	_, fast = fastClaim(b)
	if fast != took {
		t.Fatalf("payload %q: fastClaim %v, decodeWritten %v", b, fast, took)
	}
	return fast
}

func randomClaim(rng *rand.Rand) *ClaimAsserted {
	pick := func(opts ...string) string { return opts[rng.IntN(len(opts))] }
	str := func() string {
		if rng.IntN(10) == 0 { // needs escaping
			return pick("tab\there", "quote \" inside", `back\slash`, "line\u2028sep", "bad \xff utf8", "\x01ctl", "nl\n\r\b\f", "\"\"")
		}
		return pick("", "a", "Kotaren Misuko Council", "シハチク・協会", "<b>&amp;</b>", "Ünïcödé ß", "emoji 🙂", "x\u007fy", "e\u0301")
	}
	c := &ClaimAsserted{
		ID: ClaimID(pick("c1", "claim-0001", "")), Source: SourceID(pick("src-1", "")),
		Subject: str(), As: str(), Predicate: pick("founded", "staff", "led by", ""), Note: str(),
		Value: Value{Kind: ValueKind(pick("date", "quantity", "entity", "text", "")),
			Written: str(), Date: pick("", "2021-03-05", "2023-08"), Anchor: pick("", "2024-04-26"),
			Quantity: str(), Entity: str(), Text: str()},
		Quote: Anchor{Normalization: rng.IntN(3), Quote: TextQuoteSelector{Exact: str(), Prefix: str(), Suffix: str()},
			Position:    TextPositionSelector{Start: rng.IntN(100000), End: []int{0, 5, -3, math.MaxInt32, math.MaxInt / 10, math.MaxInt}[rng.IntN(6)]},
			Occurrences: rng.IntN(4)},
	}
	for i := range c.Quote.Digest {
		c.Quote.Digest[i] = byte(rng.Uint32())
	}
	if rng.IntN(4) == 0 {
		c.Value.Relation = &Relation{Op: RelationOp(pick("after", "before")), To: FactRef{Subject: str(), Predicate: str()}}
	}
	return c
}

// damaged returns three damaged or altered forms of the payload b: a byte
// replaced, the end cut off, a space inserted, or the key field renamed
// with a capital (still valid JSON, which encoding/json matches without
// regard to case, but not the log's form).
func damaged(rng *rand.Rand, b []byte, field string) [][]byte {
	var out [][]byte
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
			f := []byte(`"` + field + `"`)
			m = bytes.Replace(m, f, append([]byte(`"`+strings.ToUpper(field[:1])), f[2:]...), 1)
		}
		out = append(out, m)
	}
	return out
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
		for _, m := range damaged(rng, b, "exact") {
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
	base := logJSON(t, &ClaimAsserted{ID: "c1", Source: "s", Subject: "SUBJ", Predicate: "p", Value: Value{Kind: "text", Text: "t"}})
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

// TestFastClaimOnLog checks that the fast path takes every valid claim
// as the log encodes it (marshalPayload).
func TestFastClaimOnLog(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	valid := 0
	for range 4000 {
		c := randomClaim(rng)
		c.ID, c.Source, c.Predicate = "claim-0001", "src-1", "founded"
		c.Value = []Value{
			{Kind: KindDate, Written: "March 5, 2021", Date: "2021-03-05"},
			{Kind: KindDate, Written: "昨年8月", Date: "2023-08", Anchor: "2024-04-26"},
			{Kind: KindQuantity, Written: "about 12,000 staff", Quantity: "~12000 staff"},
			{Kind: KindEntity, Written: c.Subject, Entity: c.Subject},
			{Kind: KindText, Text: c.Quote.Quote.Exact},
			{Kind: KindDate, Written: "after the merger", Relation: &Relation{Op: "after", To: FactRef{Subject: c.As, Predicate: "merged"}}},
		}[rng.IntN(6)]
		c.Quote.Position.Start, c.Quote.Position.End = 10, 10+len(c.Quote.Quote.Exact)
		if c.Validate() != nil {
			continue
		}
		valid++
		b, err := marshalPayload(c)
		if err != nil {
			t.Fatal(err)
		}
		if !checkFastClaim(t, b) {
			t.Errorf("the fast path did not take %s", b)
		}
	}
	if valid < 500 {
		t.Fatalf("only %d of the random claims are valid", valid)
	}
	t.Logf("%d valid claims", valid)
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
	c.Subject, c.As, c.Note, c.Value = "Kotaren Misuko Council", "", "", Value{Kind: KindQuantity, Written: "about 12,000 staff", Quantity: "~12000 staff"}
	c.Quote.Quote = TextQuoteSelector{Exact: "Zinuma Hehinun Initiative employs about 12,000 staff", Prefix: "e was founded in February 2023. ", Suffix: ". Tunigide Tukugisa Forum is hea"}
	c.ID, c.Source, c.Predicate = "claim-0001", "src-1", "staff"
	c.Quote.Position = TextPositionSelector{Start: 1200, End: 1252}
	e := Event{Type: TypeClaimAsserted, Payload: logJSON(b, c)}
	if _, ok := fastClaim(e.Payload); !ok {
		b.Fatal("not fast")
	}
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			e.Decode()
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			e.decodeJSON()
		}
	})
}
