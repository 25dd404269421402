package events

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// The hand-written payload encoder must produce exactly what encoding/json
// produces: the bytes are hashed into the chain. These tests fill every
// field of every payload type (by reflection, so a field added to a payload
// type is covered, and fails here until appendJSON writes it too) and
// compare the two encodings.

// payloadTypes returns a new zero value of every payload type.
func payloadTypes() []Payload {
	return []Payload{
		new(SourceArchived), new(PredicateDefined), new(ClaimAsserted),
		new(ClaimRetracted), new(AliasDeclared), new(VerdictRecorded),
		new(SourceEdited),
	}
}

// byteSource is a source of choices: pseudo-random, or read from fuzz input.
type byteSource interface {
	next() byte
}

type randSource struct{ r *rand.Rand }

func (s randSource) next() byte { return byte(s.r.Uint32()) }

type fuzzSource struct {
	data []byte
	i    int
}

func (s *fuzzSource) next() byte {
	if s.i >= len(s.data) {
		return 0
	}
	s.i++
	return s.data[s.i-1]
}

// stringPieces are the pieces random strings are made of: everything the
// JSON string escaper treats specially, and plain text.
var stringPieces = []string{
	"a", "Kotaren", " ", "2023-04", "sha256:", "-", ".", ":",
	`"`, `\`, "/", "<", ">", "&", "'", "\x00", "\x01", "\x07", "\b", "\f", "\n", "\r", "\t", "\x0b", "\x1b", "\x1f", "\x7f",
	"é", "김", "約60カ国", "😀", "\u0085", "\u00a0", "\u2027", "\u2028", "\u2029", "\u202a", "\ufeff", "\ufffd", "\U0010ffff",
	"\xff", "\xfe", "\x80", "\xc3", "\xe2\x80", "\xf0\x9f\x98", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80",
}

func randString(s byteSource) string {
	n := int(s.next() % 8)
	if n >= 6 {
		return "" // often empty, for omitempty
	}
	var sb strings.Builder
	for range n {
		sb.WriteString(stringPieces[int(s.next())%len(stringPieces)])
	}
	return sb.String()
}

func randInt(s byteSource) int64 {
	switch s.next() % 6 {
	case 0:
		return 0
	case 1:
		return -1 - int64(s.next())
	case 2:
		return -1 << 63
	case 3:
		return 1<<63 - 1
	}
	var v int64
	for range 1 + s.next()%8 {
		v = v<<8 | int64(s.next())
	}
	return v
}

// fill sets every field of v from s, recursively.
func fill(t testing.TB, v reflect.Value, s byteSource) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(randString(s))
	case reflect.Bool:
		v.SetBool(s.next()%2 == 1)
	case reflect.Int, reflect.Int64, reflect.Int32:
		x := randInt(s)
		if v.OverflowInt(x) {
			x = int64(int32(x))
		}
		v.SetInt(x)
	case reflect.Uint64:
		v.SetUint(uint64(randInt(s)))
	case reflect.Array:
		if s.next()%4 == 0 {
			return // zero digest
		}
		for i := range v.Len() {
			fill(t, v.Index(i), s)
		}
	case reflect.Uint8:
		v.SetUint(uint64(s.next()))
	case reflect.Struct:
		for i := range v.NumField() {
			fill(t, v.Field(i), s)
		}
	case reflect.Pointer:
		if s.next()%3 == 0 {
			v.SetZero()
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), s)
	case reflect.Slice:
		n := int(s.next() % 5)
		switch n {
		case 0:
			v.SetZero() // nil
			return
		case 1:
			n = 0 // empty, not nil
		default:
			n--
		}
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fill(t, v.Index(i), s)
		}
	default:
		t.Fatalf("fill: no case for %s (%s): teach this test and appendJSON the new field", v.Type(), v.Kind())
	}
}

func checkPayloadJSON(t testing.TB, p Payload) {
	t.Helper()
	want, err := marshalPayloadReflect(p)
	if err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	got, ok := appendPayloadJSON([]byte("prefix"), p)
	if !ok {
		t.Fatalf("appendPayloadJSON(%T) not ok", p)
	}
	if !bytes.Equal(got[len("prefix"):], want) {
		t.Fatalf("%T %#v:\nappendPayloadJSON %s\nencoding/json     %s", p, p, got[len("prefix"):], want)
	}
	if m, err := marshalPayload(p); err != nil || !bytes.Equal(m, want) {
		t.Fatalf("marshalPayload(%T) = %s, %v; want %s", p, m, err, want)
	}
	checkDecode(t, p.EventType(), want)
}

// checkDecode checks Event.Decode on payload b of type typ against
// encoding/json (checkAgainstJSON), and reports whether the grammar of
// the type (decodeWritten) took it.
func checkDecode(t testing.TB, typ Type, b []byte) (written bool) {
	t.Helper()
	return checkAgainstJSON(t, typ, b)
}

// TestDecodeWritten checks the grammar of every payload type against
// encoding/json: on what the encoder writes, which it must take when its
// numbers are plain (no sign, at most 18 digits), and on damaged and
// altered forms of it.
func TestDecodeWritten(t *testing.T) {
	r := randSource{rand.New(rand.NewPCG(3, 4))}
	rng := rand.New(rand.NewPCG(5, 6))
	took := map[Type]int{}
	const n = 3000
	for range n {
		for _, p := range payloadTypes() {
			fill(t, reflect.ValueOf(p).Elem(), r)
			b, err := marshalPayload(p)
			if err != nil {
				t.Fatal(err)
			}
			if checkDecode(t, p.EventType(), b) {
				took[p.EventType()]++
			} else if plainNumbers(b) {
				t.Errorf("the %s grammar did not take %s", p.EventType(), b)
			}
			for _, m := range damaged(rng, b, firstKey(b)) {
				checkDecode(t, p.EventType(), m)
			}
		}
	}
	for _, p := range payloadTypes() {
		if took[p.EventType()] < n/50 { // ints are often negative or long
			t.Errorf("the %s grammar took %d of %d payloads", p.EventType(), took[p.EventType()], n)
		}
	}
}

// plainNumbers reports whether every number in the JSON b (outside
// strings) is a plain one: no sign, at most 18 digits.
func plainNumbers(b []byte) bool {
	in, esc, digits := false, false, 0
	for _, c := range b {
		switch {
		case in:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				in = false
			}
		case c == '"':
			in = true
		case c == '-':
			return false
		case '0' <= c && c <= '9':
			if digits++; digits > 18 {
				return false
			}
		default:
			digits = 0
		}
	}
	return true
}

// firstKey returns the name of the first field of the JSON object b.
func firstKey(b []byte) string {
	s := strings.TrimPrefix(string(b), `{"`)
	k, _, _ := strings.Cut(s, `"`)
	return k
}

func TestPayloadJSONMatchesEncodingJSON(t *testing.T) {
	for _, p := range payloadTypes() {
		checkPayloadJSON(t, p) // all zero
	}
	r := randSource{rand.New(rand.NewPCG(1, 2))}
	n := 5000
	if testing.Short() {
		n = 500
	}
	for range n {
		for _, p := range payloadTypes() {
			fill(t, reflect.ValueOf(p).Elem(), r)
			checkPayloadJSON(t, p)
		}
	}
}

func TestPayloadJSONStrings(t *testing.T) {
	// Every single byte, and every piece, alone and between text.
	var all []string
	for c := range 256 {
		all = append(all, string([]byte{byte(c)}))
	}
	all = append(all, stringPieces...)
	for _, s := range all {
		for _, v := range []string{s, "x" + s + "y", s + s} {
			checkPayloadJSON(t, &ClaimRetracted{Claim: ClaimID(v), Reason: v})
		}
	}
}

func TestPayloadJSONUnknownType(t *testing.T) {
	if _, ok := appendPayloadJSON(nil, (*ClaimAsserted)(nil)); ok {
		t.Error("appendPayloadJSON of a nil *ClaimAsserted is ok, want it left to encoding/json")
	}
	if _, ok := appendPayloadJSON(nil, otherPayload{}); ok {
		t.Error("appendPayloadJSON of an unknown type is ok")
	}
	got, err := marshalPayload(otherPayload{X: "<&>"})
	if err != nil || string(got) != `{"X":"<&>"}` {
		t.Errorf("marshalPayload(otherPayload) = %s, %v", got, err)
	}
}

type otherPayload struct{ X string }

func (otherPayload) EventType() Type { return "other" }
func (otherPayload) Validate() error { return nil }

func FuzzPayloadJSON(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"))
	f.Add(bytes.Repeat([]byte{0xff, 0x13, 0x27, 0x81}, 64))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &fuzzSource{data: data}
		for _, p := range payloadTypes() {
			fill(t, reflect.ValueOf(p).Elem(), s)
			checkPayloadJSON(t, p)
		}
	})
}

func TestPlainJSON8(t *testing.T) {
	naive := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
				return false
			}
		}
		return true
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, fill := range []byte{'a', ' ', '~', 0x7f, '!', '#', '[', ']', 0x21} {
		for pos := range 8 {
			for c := range 256 {
				b := bytes.Repeat([]byte{fill}, 8)
				b[pos] = byte(c)
				if got, want := plainJSON8(string(b)), naive(string(b)); got != want {
					t.Fatalf("plainJSON8(%q) = %v, want %v", b, got, want)
				}
			}
		}
	}
	for range 200000 {
		var b [8]byte
		for i := range b {
			b[i] = byte(r.Uint32())
			if r.IntN(2) == 0 {
				b[i] = byte(0x20 + r.IntN(0x60))
			}
		}
		if got, want := plainJSON8(string(b[:])), naive(string(b[:])); got != want {
			t.Fatalf("plainJSON8(%q) = %v, want %v", b, got, want)
		}
	}
}
