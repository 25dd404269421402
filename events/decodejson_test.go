package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// decodeJSON decodes the payload of e with encoding/json alone: the
// reference the grammars of Event.Decode are held to (in tests only).
func (e Event) decodeJSON() (Payload, error) {
	var p Payload
	switch e.Type {
	case TypeSourceArchived:
		p = new(SourceArchived)
	case TypePredicateDefined:
		p = new(PredicateDefined)
	case TypeClaimAsserted:
		p = new(ClaimAsserted)
	case TypeClaimRetracted:
		p = new(ClaimRetracted)
	case TypeAliasDeclared:
		p = new(AliasDeclared)
	case TypeVerdictRecorded:
		p = new(VerdictRecorded)
	case TypeSourceEdited:
		p = new(SourceEdited)
	default:
		return nil, fmt.Errorf("events: revision %d: unknown event type %q", e.Revision, e.Type)
	}
	if err := json.Unmarshal(e.Payload, p); err != nil {
		return nil, fmt.Errorf("events: revision %d: decode %s payload: %w", e.Revision, e.Type, err)
	}
	return p, nil
}

// checkAgainstJSON checks Event.Decode on payload b of type typ against
// encoding/json: a payload the grammar takes decodes as encoding/json
// decodes it, and encoding/json takes it too; any other is refused as a
// corrupt record that names the revision. It reports whether the grammar
// took b.
func checkAgainstJSON(t testing.TB, typ Type, b []byte) (took bool) {
	t.Helper()
	e := Event{Revision: 7, Type: typ, Payload: b}
	got, gotErr := e.Decode()
	_, took = decodeWritten(typ, b)
	if !took {
		if gotErr == nil || !errors.Is(gotErr, ErrCorruptRecord) {
			t.Fatalf("%s payload %q, not in the written form: Event.Decode = %#v, %v; want ErrCorruptRecord", typ, b, got, gotErr)
		}
		if want := "revision 7"; !contains(gotErr.Error(), want) {
			t.Fatalf("%s payload %q: error %q does not name %s", typ, b, gotErr, want)
		}
		return false
	}
	want, wantErr := e.decodeJSON()
	if gotErr != nil || wantErr != nil {
		t.Fatalf("%s payload %q: Event.Decode error %v, encoding/json %v", typ, b, gotErr, wantErr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s payload %q:\nEvent.Decode  %#v\nencoding/json %#v", typ, b, got, want)
	}
	return true
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestDecodeRefusesForeignForms: valid JSON of a payload, but not in the
// form the log writes, is a corrupt record, not a payload.
func TestDecodeRefusesForeignForms(t *testing.T) {
	for _, tt := range []struct {
		typ Type
		b   string
	}{
		{TypeClaimRetracted, `{"reason":"r","claim":"c"}`},
		{TypeClaimRetracted, `{"claim": "c", "reason": "r"}`},
		{TypeClaimRetracted, `{"claim":"c","reason":"r","extra":1}`},
		{TypeClaimRetracted, `{"Claim":"c","reason":"r"}`},
		{TypeClaimRetracted, `{"claim":"\ud83d\ude42","reason":"r"}`},
		{TypePredicateDefined, `{"name":"p","kind":"date","many":false}`},
		{TypeSourceEdited, `null`},
	} {
		e := Event{Revision: 9, Type: tt.typ, Payload: []byte(tt.b)}
		if _, err := e.decodeJSON(); err != nil {
			t.Fatalf("%s: encoding/json refuses it too (%v): not a foreign form", tt.b, err)
		}
		p, err := e.Decode()
		if !errors.Is(err, ErrCorruptRecord) || !contains(err.Error(), "revision 9") {
			t.Errorf("Decode(%s %s) = %#v, %v; want a corrupt record at revision 9", tt.typ, tt.b, p, err)
		}
	}
	e := Event{Revision: 3, Type: "claim.amended", Payload: []byte(`{}`)}
	if _, err := e.Decode(); err == nil || !contains(err.Error(), `unknown event type "claim.amended"`) {
		t.Errorf("Decode of an unknown type: %v", err)
	}
}
